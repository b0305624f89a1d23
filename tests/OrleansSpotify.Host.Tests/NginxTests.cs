using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Demo;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The shipped deploy/nginx.conf in front of the demo Host on Kestrel, run by Debian's nginx over https (a certificate
/// the test makes and trusts): its root server as it is and its commented sub-path variant, uncommented, on a second
/// port. The whole sign-in and the live hub over wss (nginx's WebSocket upgrade) go through it.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class NginxTests(NginxTests.Site site) : IClassFixture<NginxTests.Site>
{
    [Fact]
    public Task SignInAndLiveUpdatesWorkThroughNginxAtTheRoot() =>
        ProxiedSignIn.SignInAndListenAsync(site.RootOrigin, "", site.Fake.GetUser("alex"), site.Handler, site.Validate);

    [Fact]
    public Task SignInAndLiveUpdatesWorkThroughNginxUnderASubPath() =>
        ProxiedSignIn.SignInAndListenAsync(site.SubPathOrigin, "/music", site.Fake.GetUser("sam"), site.Handler, site.Validate);

    /// <summary>The demo Host on Kestrel and one nginx with the deploy file's server twice (root and /music).</summary>
    public sealed class Site : IAsyncLifetime
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "orleans-spotify-nginx", Guid.NewGuid().ToString("N"));
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
        private KestrelHost? _host;
        private Process? _nginx;
        private X509Certificate2 _certificate = null!;

        public static string NginxPath => Environment.GetEnvironmentVariable("NGINX_PATH") is { Length: > 0 } path ? path : "/usr/sbin/nginx";

        public FakeSpotifyServer Fake { get; private set; } = null!;

        public Uri RootOrigin { get; private set; } = null!;

        public Uri SubPathOrigin { get; private set; } = null!;

        public bool Validate(X509Certificate? certificate, X509Chain? chain, System.Net.Security.SslPolicyErrors errors) =>
            CaddyServer.ValidateAgainst(_certificate, certificate, chain, errors);

        public HttpMessageHandler Handler(CookieContainer cookies) => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies,
            UseCookies = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Validate(certificate, chain, errors) },
        };

        public async ValueTask InitializeAsync()
        {
            var ct = TestContext.Current.CancellationToken;
            if (!File.Exists(NginxPath))
            {
                throw new InvalidOperationException($"nginx is not at {NginxPath}: install Debian's nginx (apt-get install nginx; .ci/run does) or set NGINX_PATH.");
            }

            _host = KestrelHost.Start(new Dictionary<string, string?>
            {
                ["Demo"] = "true",
                ["Polling:ActiveInterval"] = "00:00:01",
                ["Polling:IdleMinInterval"] = "00:00:01",
                ["Polling:IdleMaxInterval"] = "00:00:02",
            });
            Fake = await _host.Services.GetRequiredService<DemoSpotify>().Server.WaitAsync(TimeSpan.FromSeconds(60), ct);

            Directory.CreateDirectory(_directory);
            var (certificatePath, keyPath) = WriteCertificate();
            var rootPort = TestPorts.Free();
            var subPathPort = TestPorts.Free();
            RootOrigin = new Uri($"https://127.0.0.1:{rootPort}/");
            SubPathOrigin = new Uri($"https://127.0.0.1:{subPathPort}/");
            var configuration = Path.Combine(_directory, "nginx.conf");
            await File.WriteAllTextAsync(configuration, Configuration(_host.Port, rootPort, subPathPort, certificatePath, keyPath), ct);

            var start = new ProcessStartInfo(NginxPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-c", configuration, "-p", _directory, "-e", Path.Combine(_directory, "error.log"), "-g", "daemon off;" })
            {
                start.ArgumentList.Add(arg);
            }

            _nginx = new Process { StartInfo = start };
            _nginx.OutputDataReceived += (_, e) => _log.Enqueue(e.Data ?? "");
            _nginx.ErrorDataReceived += (_, e) => _log.Enqueue(e.Data ?? "");
            _nginx.Start();
            _nginx.BeginOutputReadLine();
            _nginx.BeginErrorReadLine();
            await WaitForHttpsAsync(new Uri(RootOrigin, "/healthz"), ct);
            await WaitForHttpsAsync(new Uri(SubPathOrigin, "/music/healthz"), ct);
        }

        /// <summary>
        /// The deploy file inside a minimal main configuration (pid, logs and temp folders in the test's folder): its
        /// map and upstream (pointed at the Host), its https server on <paramref name="rootPort"/>, and the same server
        /// with the commented /music location instead of <c>location /</c> on <paramref name="subPathPort"/>.
        /// </summary>
        private string Configuration(int hostPort, int rootPort, int subPathPort, string certificatePath, string keyPath)
        {
            var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx.conf")).ReplaceLineEndings("\n");
            var serverStart = text.IndexOf("\nserver {", StringComparison.Ordinal) + 1;
            var serverEnd = text.IndexOf("\n}\n", serverStart, StringComparison.Ordinal) + 3;
            var head = text[..serverStart];
            Assert.Contains("server 127.0.0.1:5080;", head, StringComparison.Ordinal);
            head = head.Replace("server 127.0.0.1:5080;", $"server 127.0.0.1:{hostPort};", StringComparison.Ordinal);
            var server = text[serverStart..serverEnd]
                .Replace("/etc/nginx/tls/music.example.lan.crt", certificatePath, StringComparison.Ordinal)
                .Replace("/etc/nginx/tls/music.example.lan.key", keyPath, StringComparison.Ordinal);
            var lines = server.Split('\n').Where(l => !l.TrimStart().StartsWith("listen [::]", StringComparison.Ordinal)).ToList();
            Assert.Contains(lines, l => l.Trim() == "listen 443 ssl http2;");

            string At(int port, IEnumerable<string> block) =>
                string.Join('\n', block.Select(l => l.Trim() == "listen 443 ssl http2;" ? $"    listen 127.0.0.1:{port} ssl http2;" : l));

            // The sub-path server: `location / { … }` out, the commented variant in.
            var sub = new List<string>();
            var inRootLocation = false;
            var inVariant = false;
            foreach (var line in lines)
            {
                if (line == "    location / {")
                {
                    inRootLocation = true;
                    continue;
                }

                if (inRootLocation)
                {
                    inRootLocation = line != "    }";
                    continue;
                }

                if (line.StartsWith("    # location = /music", StringComparison.Ordinal))
                {
                    inVariant = true;
                }

                sub.Add(inVariant && line.StartsWith("    # ", StringComparison.Ordinal) ? "    " + line[6..] : line);
                if (inVariant && line == "    # }")
                {
                    inVariant = false;
                }
            }

            Assert.Contains(sub, l => l.Trim() == "proxy_set_header X-Forwarded-Prefix /music;");
            var temp = string.Join(' ', new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }.Select(t => $"{t}_temp_path {Path.Combine(_directory, t)};"));
            return $"pid {Path.Combine(_directory, "nginx.pid")};\nerror_log {Path.Combine(_directory, "error.log")} warn;\nevents {{}}\nhttp {{\naccess_log off;\n{temp}\n"
                + head + At(rootPort, lines) + "\n" + At(subPathPort, sub) + "\n}\n";
        }

        private (string Certificate, string Key) WriteCertificate()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var now = DateTimeOffset.UtcNow;
            _certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
            var certificatePath = Path.Combine(_directory, "site.crt");
            var keyPath = Path.Combine(_directory, "site.key");
            File.WriteAllText(certificatePath, _certificate.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            return (certificatePath, keyPath);
        }

        /// <summary>
        /// The first successful https request through nginx. nginx is another process and reports no readiness (its
        /// listener may lag its start): answering is the only signal, so the request is retried, bounded.
        /// </summary>
        private async Task WaitForHttpsAsync(Uri uri, CancellationToken cancellationToken)
        {
            using var client = new HttpClient(Handler(new CookieContainer()));
            await OrleansSpotify.Testing.Eventually.UntilAsync(
                async () =>
                {
                    Assert.False(_nginx!.HasExited, "nginx exited:\n" + string.Join('\n', _log) + ReadErrorLog());
                    using var response = await client.GetAsync(uri, cancellationToken);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    return true;
                },
                TimeSpan.FromSeconds(30),
                $"nginx to answer {uri}",
                cancellationToken);
        }

        private string ReadErrorLog()
        {
            var path = Path.Combine(_directory, "error.log");
            return File.Exists(path) ? "\n" + File.ReadAllText(path) : "";
        }

        private static string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "OrleansSpotify.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"OrleansSpotify.sln not found above {AppContext.BaseDirectory}.");
        }

        public async ValueTask DisposeAsync()
        {
            if (_nginx is { HasExited: false })
            {
                _nginx.Kill(entireProcessTree: true);
                await _nginx.WaitForExitAsync();
            }

            _nginx?.Dispose();
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }

            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
