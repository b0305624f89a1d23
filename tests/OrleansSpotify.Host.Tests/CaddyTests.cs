using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Demo;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The Host (demo mode, real Kestrel) behind Debian's real Caddy over https with <c>tls internal</c>: one site at the
/// root and one that serves it under <c>/music</c> (<c>handle_path</c> + <c>X-Forwarded-Prefix</c>): the site blocks
/// of the shipped deploy/Caddyfile, the sub-path variant uncommented. The whole sign-in (the fake's chooser) and the
/// live hub over wss go through Caddy.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CaddyTests(CaddyTests.Site site) : IClassFixture<CaddyTests.Site>
{
    [Fact]
    public Task SignInAndLiveUpdatesWorkThroughCaddyAtTheRoot() =>
        ProxiedSignIn.SignInAndListenAsync(site.RootOrigin, "", site.Fake.GetUser("alex"), site.Handler, site.Caddy.Validate);

    [Fact]
    public Task SignInAndLiveUpdatesWorkThroughCaddyUnderASubPath() =>
        ProxiedSignIn.SignInAndListenAsync(site.SubPathOrigin, "/music", site.Fake.GetUser("robin"), site.Handler, site.Caddy.Validate);

    /// <summary>The demo Host on Kestrel and one Caddy in front of it with two https sites (root and /music).</summary>
    public sealed class Site : IAsyncLifetime
    {
        private KestrelHost? _host;

        public CaddyServer Caddy { get; private set; } = null!;

        public FakeSpotifyServer Fake { get; private set; } = null!;

        public Uri RootOrigin { get; private set; } = null!;

        public Uri SubPathOrigin { get; private set; } = null!;

        public HttpMessageHandler Handler(CookieContainer cookies) => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies,
            UseCookies = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Caddy.Validate(certificate, chain, errors) },
        };

        public async ValueTask InitializeAsync()
        {
            var ct = TestContext.Current.CancellationToken;
            _host = KestrelHost.Start(new Dictionary<string, string?>
            {
                ["Demo"] = "true",
                ["Polling:ActiveInterval"] = "00:00:01",
                ["Polling:IdleMinInterval"] = "00:00:01",
                ["Polling:IdleMaxInterval"] = "00:00:02",
            });
            Fake = await _host.Services.GetRequiredService<DemoSpotify>().Server.WaitAsync(TimeSpan.FromSeconds(60), ct);

            var rootPort = KestrelHost.FreePort();
            var subPathPort = KestrelHost.FreePort();
            RootOrigin = new Uri($"https://127.0.0.1:{rootPort}/");
            SubPathOrigin = new Uri($"https://127.0.0.1:{subPathPort}/");
            Caddy = await CaddyServer.StartAsync(
                DeployCaddyfileSites(subPathPort),
                KestrelHost.FreePort(),
                "127.0.0.1",
                new Dictionary<string, string>
                {
                    ["ORLEANS_SPOTIFY_SITE"] = RootOrigin.GetLeftPart(UriPartial.Authority),
                    ["ORLEANS_SPOTIFY_UPSTREAM"] = $"127.0.0.1:{_host.Port}",
                },
                ct);
            await WaitForHttpsAsync(new Uri(RootOrigin, "/healthz"), ct);
            await WaitForHttpsAsync(new Uri(SubPathOrigin, "/music/healthz"), ct);
        }

        /// <summary>
        /// The site blocks of the shipped deploy/Caddyfile (its global options are the test's): the root site as it is
        /// (its name and upstream from the environment), and the commented sub-path variant, uncommented, on
        /// <paramref name="subPathPort"/> instead of home.example.
        /// </summary>
        private static string DeployCaddyfileSites(int subPathPort)
        {
            var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "deploy", "Caddyfile"));
            var rootStart = Array.FindIndex(lines, l => l.StartsWith("{$ORLEANS_SPOTIFY_SITE", StringComparison.Ordinal));
            var rootEnd = Array.FindIndex(lines, rootStart, l => l == "}");
            var subStart = Array.FindIndex(lines, l => l.StartsWith("# home.example {", StringComparison.Ordinal));
            var subEnd = Array.FindIndex(lines, subStart, l => l == "# }");
            Assert.True(rootStart >= 0 && rootEnd > rootStart && subStart > rootEnd && subEnd > subStart, "deploy/Caddyfile has a root site and a commented home.example variant");
            var root = lines[rootStart..(rootEnd + 1)];
            var sub = lines[subStart..(subEnd + 1)]
                .Select(l => l.Length > 1 ? l[2..] : "")
                .Select(l => l.Replace("home.example {", $"https://127.0.0.1:{subPathPort} {{", StringComparison.Ordinal));
            return string.Join('\n', root) + "\n\n" + string.Join('\n', sub) + "\n";
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

        /// <summary>The first successful https request through Caddy (its listener may lag the certificate's log line).</summary>
        private async Task WaitForHttpsAsync(Uri uri, CancellationToken cancellationToken)
        {
            using var client = new HttpClient(Handler(new CookieContainer()));
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var response = await client.GetAsync(uri, cancellationToken);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    return;
                }
                catch (HttpRequestException) when (attempt < 50)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Caddy is not null)
            {
                await Caddy.DisposeAsync();
            }

            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }
}
