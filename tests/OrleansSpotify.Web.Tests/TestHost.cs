using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The real Host on Kestrel at <paramref name="port"/> (a real loopback port, so a real browser can reach it), with
/// its own silo ports, the built dashboard from the output's wwwroot, and <paramref name="settings"/> as the
/// environment would pass them.
/// </summary>
internal sealed class TestHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private TestHost(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public static TestHost Start(int port, IReadOnlyDictionary<string, string?> settings)
    {
        var host = new TestHost(settings);
        host.UseKestrel(port);
        host.StartServer();
        return host;
    }


    /// <summary>Starts the host and, in demo mode, waits until the demo's history import is complete.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        OrleansSpotify.Testing.DemoData.WaitForImport(host.Services);
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The factory's content root is the Host's source folder; the built dashboard is in the output's wwwroot.
        builder.UseWebRoot(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        builder.UseSetting("Orleans:SiloPort", TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>Debian's Chromium (<c>/usr/bin/chromium</c>, or <c>CHROMIUM_PATH</c>), headless, driven by Playwright.</summary>
internal static class Chromium
{
    public static string Path => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Launches Chromium with the tests' usual switches and <paramref name="extraArgs"/>.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"Chromium is not at {Path}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH.");
        }

        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", .. extraArgs],
        });
    }
}

/// <summary>What a browser-test site takes down, in order: the browser, Playwright, a proxy in front, the Host, and the
/// Host's data directory (SQLite's pooled connections closed first, so the files can go).</summary>
internal static class SiteTeardown
{
    public static async ValueTask DisposeAsync(IBrowser? browser, IPlaywright? playwright, IAsyncDisposable? proxy, TestHost? host, string dataDirectory)
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (proxy is not null)
        {
            await proxy.DisposeAsync();
        }

        if (host is not null)
        {
            await host.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
