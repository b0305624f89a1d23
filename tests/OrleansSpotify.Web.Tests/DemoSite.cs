using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Demo;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The real Host in demo mode on Kestrel with its own data directory, plus Debian's Chromium driven by Playwright.
/// Shared by the browser tests of a class.
/// </summary>
public sealed class DemoSite : IAsyncLifetime
{
    private TestHost? _host;
    private IPlaywright? _playwright;

    public DemoSite()
    {
        Port = TestPorts.Free();
        Origin = new Uri($"http://127.0.0.1:{Port}");
    }

    public int Port { get; }

    public Uri Origin { get; }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "orleans-spotify-web-tests", Guid.NewGuid().ToString("N"));

    public IBrowser Browser { get; private set; } = null!;

    public FakeSpotifyServer Fake { get; private set; } = null!;

    /// <summary>The running Host's services (its stores, on the demo's database).</summary>
    public IServiceProvider Services => _host!.Services;

    /// <summary>Completes once the demo has imported every member's months of history (no more imported plays land after).</summary>
    public Task HistoryImported => _host!.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DemoHouseholdSignIn>().Single().ExecuteTask!;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        _host = TestHost.Start(Port, new Dictionary<string, string?>
        {
            ["Demo"] = "true",
            ["Storage:DataDirectory"] = DataDirectory,
            ["Spotify:RedirectUri"] = new Uri(Origin, "/auth/callback").AbsoluteUri,

            // The browser tests sign in many times a minute from 127.0.0.1 (the default allows 10 sign-in requests).
            ["SignInRateLimit:PermitLimit"] = "1000",
        });
        Fake = await _host.Services.GetRequiredService<DemoSpotify>().Server.WaitAsync(Waits.Patience);
    }

    /// <summary>A fresh browser profile (own cookies) at <paramref name="width"/>×<paramref name="height"/>.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 860, string colorScheme = "light") =>
        Waits.Patient(await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Origin.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            IsMobile = width < 600,
            HasTouch = width < 600,
        }));

    /// <summary>Signs in through the app's button and the fake Spotify's account chooser; returns the account id.</summary>
    public async Task<string> SignInAsync(IPage page, string user, TimeSpan patience)
    {
        await page.GotoAsync("/");
        await page.GetByTestId("sign-in").ClickAsync();
        await page.Locator($"a[href*='fake_user={user}']").ClickAsync();
        // Back on the site is enough (Commit): the load event also waits for every cover image, whose host a test
        // machine may take long to fail to resolve; the card below is the signal that the page is there.
        await page.WaitForURLAsync(
            url => url.StartsWith(Origin.AbsoluteUri, StringComparison.Ordinal) && !url.Contains("/auth/", StringComparison.Ordinal) && !url.Contains("/demo/spotify/", StringComparison.Ordinal),
            new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByTestId("now-playing-card").First).ToBeVisibleAsync(new() { Timeout = (float)patience.TotalMilliseconds });
        var me = await page.APIRequest.GetAsync("/api/me");
        Assert.Equal(200, me.Status);
        return (await me.JsonAsync())!.Value.GetProperty("id").GetString()!;
    }

    public ValueTask DisposeAsync() => SiteTeardown.DisposeAsync(Browser, _playwright, null, _host, DataDirectory);
}
