using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace OrleansSpotify.Testing;

/// <summary>
/// (Shared source: compiled into OrleansSpotify.Host.Tests and OrleansSpotify.Web.Tests.)
/// Debian's Caddy (<c>/usr/bin/caddy</c>, or <c>CADDY_PATH</c>) as a separate process with a Caddyfile of the test's,
/// its storage (the local CA of <c>tls internal</c>) and config in a temporary folder, the admin API off. Started once
/// the local CA has issued the site certificate (Caddy's log says so), stopped (the process it started) on dispose.
/// </summary>
public sealed class CaddyServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _certificate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CaddyServer(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public static string Path => Environment.GetEnvironmentVariable("CADDY_PATH") is { Length: > 0 } path ? path : "/usr/bin/caddy";

    /// <summary>The local CA's root certificate: what a browser that trusts this Caddy would have installed.</summary>
    public X509Certificate2 Root { get; private set; } = null!;

    /// <summary>The local CA's intermediate certificate, which signs the site certificates Caddy serves.</summary>
    public X509Certificate2 Intermediate { get; private set; } = null!;

    public string Log => string.Join('\n', _log);

    /// <summary>
    /// Starts Caddy with the global options a test needs (storage in a temp folder, no admin API, no redirects, no
    /// trust-store installation, <paramref name="httpPort"/> for its unused plain-http port) followed by
    /// <paramref name="sites"/>. Returns once the certificate for <paramref name="identifier"/> was issued.
    /// </summary>
    public static async Task<CaddyServer> StartAsync(string sites, int httpPort, string identifier, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"Caddy is not at {Path}: install Debian's caddy (apt-get install caddy; .ci/run does) or set CADDY_PATH.");
        }

        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orleans-spotify-caddy", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var storage = System.IO.Path.Combine(directory, "storage");
        var caddyfile = System.IO.Path.Combine(directory, "Caddyfile");
        await File.WriteAllTextAsync(caddyfile, $$"""
            {
            	admin off
            	auto_https disable_redirects
            	local_certs
            	skip_install_trust
            	storage file_system {{storage}}
            	http_port {{httpPort}}
            }

            {{sites}}
            """, cancellationToken);

        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--config", caddyfile, "--adapter", "caddyfile" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = directory;
        start.Environment["XDG_DATA_HOME"] = System.IO.Path.Combine(directory, "data");
        start.Environment["XDG_CONFIG_HOME"] = System.IO.Path.Combine(directory, "config");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var caddy = new CaddyServer(process, directory);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            caddy._log.Enqueue(line);
            if (line.Contains("\"certificate obtained successfully\"", StringComparison.Ordinal)
                && line.Contains($"\"identifier\":\"{identifier}\"", StringComparison.Ordinal))
            {
                caddy._certificate.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => caddy._certificate.TrySetException(new InvalidOperationException("Caddy exited:\n" + caddy.Log));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await caddy._certificate.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException exception)
        {
            await caddy.DisposeAsync();
            throw new TimeoutException("Caddy issued no certificate within 60 s:\n" + caddy.Log, exception);
        }

        caddy.Root = X509CertificateLoader.LoadCertificateFromFile(System.IO.Path.Combine(storage, "pki", "authorities", "local", "root.crt"));
        caddy.Intermediate = X509CertificateLoader.LoadCertificateFromFile(System.IO.Path.Combine(storage, "pki", "authorities", "local", "intermediate.crt"));
        return caddy;
    }

    /// <summary>Accepts a server certificate only if it is for the requested name and chains to <see cref="Root"/>.</summary>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => ValidateAgainst(Root, certificate, chain, errors);

    /// <summary>Accepts a server certificate only if it is for the requested name and chains to <paramref name="root"/>.</summary>
    public static bool ValidateAgainst(X509Certificate2 root, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(root);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf) && custom.ChainElements[^1].Certificate.Thumbprint == root.Thumbprint;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Root?.Dispose();
        Intermediate?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
