using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Demo;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The real Host in demo mode on Kestrel with <c>PathBase=/music</c>, its own data directory, and Debian's Chromium:
/// the dashboard as it runs behind a proxy that forwards <c>https://home.example/music/…</c> unchanged.
/// </summary>
public sealed class SubPathSite : IAsyncLifetime
{
    public const string PathBase = "/music";

    private TestHost? _host;
    private IPlaywright? _playwright;

    public SubPathSite()
    {
        Port = TestPorts.Free();
        Origin = new Uri($"http://127.0.0.1:{Port}");
    }

    public int Port { get; }

    public Uri Origin { get; }

    /// <summary>The dashboard's home: http://127.0.0.1:PORT/music/.</summary>
    public Uri Home => new(Origin, PathBase + "/");

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "orleans-spotify-web-tests", Guid.NewGuid().ToString("N"));

    public IBrowser Browser { get; private set; } = null!;

    public FakeSpotifyServer Fake { get; private set; } = null!;

    /// <summary>Completes when the demo household is signed in and its months of history are imported.</summary>
    public Task HistoryImported { get; private set; } = Task.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        _host = TestHost.Start(Port, new Dictionary<string, string?>
        {
            ["Demo"] = "true",
            ["PathBase"] = PathBase,
            ["Storage:DataDirectory"] = DataDirectory,
            ["Spotify:RedirectUri"] = Url("/auth/callback"),
        });
        Fake = await _host.Services.GetRequiredService<DemoSpotify>().Server.WaitAsync(Waits.Patience);
        HistoryImported = _host.Services.GetRequiredService<DemoDataStatus>().Completed;
    }

    /// <summary>An absolute URL of the app under the sub-path: <c>Url("/accounts")</c> is http://127.0.0.1:PORT/music/accounts.</summary>
    public string Url(string appPath) => new Uri(Origin, PathBase + appPath).AbsoluteUri;

    public async Task<IBrowserContext> NewContextAsync() =>
        Waits.Patient(await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } }));

    public ValueTask DisposeAsync() => SiteTeardown.DisposeAsync(Browser, _playwright, null, _host, DataDirectory);
}
