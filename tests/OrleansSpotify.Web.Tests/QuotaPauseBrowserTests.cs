using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The Accounts page while Spotify has paused the app (a 429 QUOTA_EXCEEDED from the fake Spotify, with a 2-hour
/// Retry-After): a notice says why and when polling resumes, and each account says "Spotify paused — resumes at …".
/// A real configuration against the fake Spotify over HTTP, as in <see cref="RestartBrowserTests"/>.
/// </summary>
public sealed class QuotaPauseBrowserTests : IAsyncLifetime
{
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
        _fake.AddUser("alex", "Alex", accountId: "acc-alex");
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [Fact]
    public async Task TheAccountsPageSaysWhenPollingResumesWhileSpotifysQuotaIsSpent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = TestHost.Start(_port, new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _dataDirectory,
            ["Spotify:ClientId"] = new FakeSpotifyOptions().ClientId,
            ["Spotify:AccountsBaseUrl"] = _fake.AccountsBaseUrl.AbsoluteUri,
            ["Spotify:ApiBaseUrl"] = _fake.ApiBaseUrl.AbsoluteUri,
            ["Spotify:RedirectUri"] = new Uri(Origin, "/auth/callback").AbsoluteUri,
        });
        await using var context = Waits.Patient(await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Origin.AbsoluteUri }));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/accounts");
        await page.GetByTestId("sign-in").ClickAsync();
        await page.Locator("a[href*='fake_user=alex']").ClickAsync();
        await page.GotoAsync("/accounts");
        await Assertions.Expect(page.GetByTestId("account-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("spotify-pause")).ToHaveCountAsync(0);

        _fake.Faults.RateLimitFor(TimeSpan.FromHours(2), quota: true);
        // The next poll (idle: within 10 s) is answered 429 QUOTA_EXCEEDED; the gate closes as it arrives.
        string? resumesAt = null;
        await Eventually.UntilAsync(
            async () =>
            {
                var accounts = await page.APIRequest.GetAsync("/api/accounts");
                var json = await accounts.JsonAsync();
                resumesAt = json?[0].GetProperty("resumesAt").GetString();
                return resumesAt is not null;
            },
            TimeSpan.FromSeconds(45),
            "the pause to show in /api/accounts",
            ct);

        await page.ReloadAsync();
        var notice = page.GetByTestId("spotify-pause");
        await Assertions.Expect(notice).ToContainTextAsync("Spotify's API quota for this app is spent: no member is polled until it resumes at");
        await Assertions.Expect(notice).ToContainTextAsync("in 2 hours");
        await Assertions.Expect(notice.Locator("time")).ToHaveAttributeAsync("datetime", resumesAt!);
        var fact = page.GetByTestId("account-row").GetByTestId("account-resumes-at");
        await Assertions.Expect(fact).ToContainTextAsync("resumes at");
        await Assertions.Expect(fact.Locator("time")).ToHaveAttributeAsync("datetime", resumesAt!);
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
}
