using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Demo;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The real Host in demo mode on Kestrel (no <c>PathBase</c>), Debian's Caddy in front of it running the shipped
/// deploy/Caddyfile's site blocks over https with <c>tls internal</c> (the root site, and the /music variant with
/// <c>handle_path</c> + <c>X-Forwarded-Prefix</c>), and Debian's Chromium that trusts Caddy's local CA only.
/// </summary>
public sealed class CaddySite : IAsyncLifetime
{
    private TestHost? _host;
    private IPlaywright? _playwright;

    public CaddySite() => Port = TestPorts.Free();

    /// <summary>The Host's own (plain http) port, which the browser must never use.</summary>
    public int Port { get; }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "orleans-spotify-web-tests", Guid.NewGuid().ToString("N"));

    public ShippedCaddyfile Caddy { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public FakeSpotifyServer Fake { get; private set; } = null!;

    /// <summary>Completes when the demo household is signed in and its months of history are imported.</summary>
    public Task HistoryImported { get; private set; } = Task.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _host = TestHost.Start(Port, new Dictionary<string, string?>
        {
            ["Demo"] = "true",
            ["Storage:DataDirectory"] = DataDirectory,
        });
        Fake = await _host.Services.GetRequiredService<DemoSpotify>().Server.WaitAsync(Waits.Patience, ct);
        HistoryImported = _host.Services.GetRequiredService<DemoDataStatus>().Completed;
        Caddy = await ShippedCaddyfile.StartAsync(Port, ct);

        // Chromium trusts the certificates of Caddy's local CA and no others, as a member's browser does once the CA is
        // installed: certificate errors are ignored only for a chain the server presents that carries this public key.
        // Caddy presents leaf + intermediate (never the root), so the key is the intermediate's: the root's alone
        // matches nothing (tried: ERR_CERT_AUTHORITY_INVALID). The readiness check above already proved, with .NET's
        // chain builder, that the chain Caddy serves ends at its root. Not ignoreHTTPSErrors: that accepts any
        // certificate from anyone, so the test would not notice Caddy serving the wrong one.
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright, TrustCaddy);
    }

    /// <summary>The Chromium switch that trusts Caddy's local CA (by its intermediate's public key).</summary>
    public string TrustCaddy => $"--ignore-certificate-errors-spki-list={Spki(Caddy.Caddy.Intermediate)}";

    /// <summary>Playwright, to launch another browser.</summary>
    public IPlaywright Playwright => _playwright!;

    /// <summary>A fresh browser profile (own cookies) that records CSP violations on every page.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = Waits.Patient(await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } }));
        await context.AddInitScriptAsync(CspViolations.InitScript);
        return context;
    }

    /// <summary>The SPKI fingerprint Chromium's switch takes: base64 of the SHA-256 of the SubjectPublicKeyInfo.</summary>
    private static string Spki(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public ValueTask DisposeAsync() => SiteTeardown.DisposeAsync(Browser, _playwright, Caddy, _host, DataDirectory);
}
