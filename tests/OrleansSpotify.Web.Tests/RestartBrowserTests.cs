using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// A page left open while the server restarts reconnects by itself and keeps receiving now-playing changes.
/// Not demo mode (which starts afresh on every run): a real configuration against a fake Spotify that outlives the
/// restart, with the database and the sign-in keys in one data directory, as on a homelab.
/// </summary>
public sealed class RestartBrowserTests : IAsyncLifetime
{
    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 2026);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "orleans-spotify-web-tests", Guid.NewGuid().ToString("N"));
    private readonly int _port = TestPorts.Free();
    private FakeSpotifyServer _fake = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private Uri Origin => new($"http://127.0.0.1:{_port}");

    public async ValueTask InitializeAsync()
    {
        var options = new FakeSpotifyOptions();
        options.RegisteredRedirectUris.Add(new Uri(Origin, "/auth/callback").AbsoluteUri);
        _fake = await FakeSpotifyServer.StartAsync(options, TimeProvider.System, cancellationToken: TestContext.Current.CancellationToken);
        FakeHousehold.SeedDemo(_fake, Catalog, DateTimeOffset.UtcNow.AddMinutes(-30), TimeSpan.FromDays(1), seed: 11);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [Fact]
    public async Task AnOpenPageReconnectsAfterTheServerRestartsAndKeepsFollowingTheTrack()
    {
        var server = StartHost();
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Origin.AbsoluteUri });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByTestId("sign-in").ClickAsync();
        await page.Locator("a[href*='fake_user=alex']").ClickAsync();
        var alex = _fake.GetUser("alex");
        var card = page.Locator($"[data-testid=now-playing-card][data-account-id=\"{alex.AccountId}\"]").GetByTestId("now-playing-track");
        var before = Play(alex, 11);
        await Assertions.Expect(card).ToHaveTextAsync(before.Name, new() { Timeout = Waits.PatienceMs });
        await page.EvaluateAsync("window.__sameDocument = true");

        // The server goes away and comes back on the same address with the same data.
        await server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await Assertions.Expect(page.GetByText("Reconnecting")).ToBeVisibleAsync(new() { Timeout = Waits.PatienceMs });
        server = StartHost();
        try
        {
            await Assertions.Expect(page.GetByText("Live", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = Waits.PatienceMs });

            var after = Play(alex, 12);
            await Assertions.Expect(card).ToHaveTextAsync(after.Name, new() { Timeout = Waits.PatienceMs });
            Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "The page was reloaded.");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _fake.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static FakeTrack Play(FakeUser user, int index)
    {
        var track = Catalog.Tracks[index * 17 % Catalog.Tracks.Count];
        user.TakeOver(new ScriptedPlay(DateTimeOffset.UtcNow.AddSeconds(-1), track, track.Duration)); // the demo script's next track would replace it
        return track;
    }

    private TestHost StartHost() => TestHost.Start(_port, new Dictionary<string, string?>
    {
        ["Storage:DataDirectory"] = _dataDirectory,
        ["Spotify:ClientId"] = new FakeSpotifyOptions().ClientId,
        ["Spotify:AccountsBaseUrl"] = _fake.AccountsBaseUrl.AbsoluteUri,
        ["Spotify:ApiBaseUrl"] = _fake.ApiBaseUrl.AbsoluteUri,
        ["Spotify:RedirectUri"] = new Uri(Origin, "/auth/callback").AbsoluteUri,
    });
}
