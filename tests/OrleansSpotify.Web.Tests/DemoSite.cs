using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Demo;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The real Host in demo mode on Kestrel (a real loopback port, so a real browser can reach it) with its own data
/// directory, plus Debian's Chromium driven by Playwright. Shared by the browser tests of a class.
/// </summary>
public sealed class DemoSite : IAsyncLifetime
{
    private readonly Factory _factory;
    private IPlaywright? _playwright;

    public DemoSite()
    {
        Port = FreePort();
        Origin = new Uri($"http://127.0.0.1:{Port}");
        _factory = new Factory(this);
        _factory.UseKestrel(Port);
    }

    public int Port { get; }

    public Uri Origin { get; }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "orleans-spotify-web-tests", Guid.NewGuid().ToString("N"));

    public IBrowser Browser { get; private set; } = null!;

    public FakeSpotifyServer Fake { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not at {ChromiumPath}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH.");
        }

        _factory.StartServer();
        Fake = await _factory.Services.GetRequiredService<DemoSpotify>().Server.WaitAsync(TimeSpan.FromSeconds(30));
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser profile (own cookies) at <paramref name="width"/>×<paramref name="height"/>.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 860, string colorScheme = "light") =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Origin.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            IsMobile = width < 600,
            HasTouch = width < 600,
        });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Factory(DemoSite site) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // The factory's content root is the Host's source folder; the built dashboard is in the output's wwwroot.
            builder.UseWebRoot(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
            builder.UseSetting("Demo", "true");
            builder.UseSetting("Storage:DataDirectory", site.DataDirectory);
            builder.UseSetting("Orleans:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Orleans:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Spotify:RedirectUri", new Uri(site.Origin, "/auth/callback").AbsoluteUri);
        }
    }
}
