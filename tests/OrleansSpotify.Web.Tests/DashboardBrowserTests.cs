using System.Net;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The dashboard in Debian's Chromium against the Host in demo mode: sign-in, the live overview, the dashboard's
/// charts, the embeds, and what a share token may not do. Screenshots go to test-output/screenshots.
/// </summary>
public sealed partial class DashboardBrowserTests(DemoSite site) : IClassFixture<DemoSite>
{
    private static readonly TimeSpan Patience = Waits.Patience;
    private static readonly IReadOnlyList<FakeTrack> Catalog = FakeCatalog.Generate(seed: 2026).Tracks
        .Where(t => PlainName().IsMatch(t.Name))
        .ToList();

    private static int _nextTrack = 7;

    [Fact]
    public async Task TheOverviewShowsEveryMembersTrackAndATrackChangeArrivesWithoutReload()
    {
        await using var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, "alex");

        // Every member plays something new from now on; each card shows it (pushed: the page is never reloaded).
        await page.EvaluateAsync("window.__sameDocument = true");
        var expected = site.Fake.Users.ToDictionary(AccountKey, user => StartPlaying(user).Name);
        foreach (var (account, track) in expected)
        {
            await Expect(Card(page, account).GetByTestId("now-playing-track")).ToHaveTextAsync(track, new() { Timeout = (float)Patience.TotalMilliseconds });
            await Expect(Card(page, account).GetByTestId("now-playing-state")).ToContainTextAsync("Playing");
        }

        await Screenshot(page, "overview-desktop");

        // The fake changes Alex's track: the card follows, pushed (the latency is recorded as a figure, not asserted: a
        // loaded 2-core machine must not fail the suite on a slow paint).
        var alex = site.Fake.GetUser("alex");
        var changedAt = DateTimeOffset.UtcNow;
        var next = StartPlaying(alex);
        await Expect(Card(page, AccountKey(alex)).GetByTestId("now-playing-track")).ToHaveTextAsync(next.Name, new() { Timeout = Waits.PatienceMs });
        var shownAt = DateTimeOffset.UtcNow;
        var poll = site.Fake.Requests.First(r => r.At >= changedAt && r.UserId == alex.Id && r.Endpoint == "currently-playing" && r.StatusCode == 200);
        await Record($"overview: new track on the page {(shownAt - poll.At).TotalMilliseconds:N0} ms after the poll that saw it ({(shownAt - changedAt).TotalMilliseconds:N0} ms after the fake changed it)");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "The page was reloaded.");

        // The progress bar advances between updates.
        var bar = Card(page, AccountKey(alex)).GetByRole(AriaRole.Progressbar);
        var shown = (await bar.GetAttributeAsync("aria-valuenow"))!;
        var before = double.Parse(shown, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(bar).Not.ToHaveAttributeAsync("aria-valuenow", shown, new() { Timeout = (float)Patience.TotalMilliseconds });
        var after = double.Parse((await bar.GetAttributeAsync("aria-valuenow"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(after > before, $"The progress bar stood still ({before} -> {after}).");

        await Expect(page.GetByTestId("demo-badge")).ToContainTextAsync("Demo data");
        await Expect(page.GetByTestId("plays-feed")).ToBeVisibleAsync();

        await using var phone = await site.NewContextAsync(390, 844, "dark");
        var phonePage = await phone.NewPageAsync();
        await SignInAsync(phonePage, "sam");
        await Expect(Card(phonePage, AccountKey(alex)).GetByTestId("now-playing-track")).ToHaveTextAsync(next.Name, new() { Timeout = Waits.PatienceMs });
        Assert.True(await phonePage.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), "The overview scrolls sideways on a phone.");
        await Screenshot(phonePage, "overview-phone");
    }

    [Fact]
    public async Task TheDashboardChartsRenderForTheSeededHistory()
    {
        await using var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        var account = await SignInAsync(page, "alex");
        await WaitForHistoryAsync(page, account);

        await page.GotoAsync($"/accounts/{account}");
        foreach (var chart in new[] { "chart-timeline", "chart-heatmap", "chart-top-tracks", "chart-top-artists", "chart-streaks" })
        {
            await Expect(page.GetByTestId(chart)).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = (float)Patience.TotalMilliseconds });
        }

        // Real drawings, not empty frames: the timeline is an SVG chart with a drawn series, the top list has rows.
        Assert.True(await page.GetByTestId("chart-timeline").Locator("svg path, svg rect").CountAsync() > 5, "The timeline chart drew nothing.");
        Assert.True(await page.GetByTestId("chart-top-tracks").GetByRole(AriaRole.Listitem).CountAsync() > 0
            || await page.GetByTestId("chart-top-tracks").Locator("tr, li").CountAsync() > 0, "The top tracks are empty.");
        await Expect(page.GetByTestId("summary-tiles")).ToBeVisibleAsync();
        await Screenshot(page, "dashboard-desktop", fullPage: true);

        await using var phone = await site.NewContextAsync(390, 844);
        var phonePage = await phone.NewPageAsync();
        await SignInAsync(phonePage, "alex");
        await phonePage.GotoAsync($"/accounts/{account}");
        await Expect(phonePage.GetByTestId("chart-timeline")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.True(await phonePage.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), "The dashboard scrolls sideways on a phone.");
        await Screenshot(phonePage, "dashboard-phone", fullPage: true);
    }

    [Fact]
    public async Task AnEmbedUpdatesLiveAndTheSvgCarriesTheCurrentTrackWithCachingHeaders()
    {
        await using var owner = await site.NewContextAsync();
        var page = await owner.NewPageAsync();
        await SignInAsync(page, "robin");
        var robin = site.Fake.GetUser("robin");
        var first = StartPlaying(robin);
        var (_, embedUrl, svgUrl) = await CreateShareTokenAsync(owner);

        // The iframe-able card, in a browser that is not signed in.
        await using var visitor = await site.NewContextAsync(480, 200);
        var embed = await visitor.NewPageAsync();
        await embed.GotoAsync(embedUrl + "?transparent=1");
        await Expect(embed.GetByTestId("embed-track")).ToHaveTextAsync(first.Name, new() { Timeout = (float)Patience.TotalMilliseconds });
        var embedChangedAt = DateTimeOffset.UtcNow;
        var second = StartPlaying(robin);
        await Expect(embed.GetByTestId("embed-track")).ToHaveTextAsync(second.Name, new() { Timeout = Waits.PatienceMs });
        var embedShownAt = DateTimeOffset.UtcNow;
        var embedPoll = site.Fake.Requests.First(r => r.At >= embedChangedAt && r.UserId == robin.Id && r.Endpoint == "currently-playing" && r.StatusCode == 200);
        await Record($"embed: new track on the embed {(embedShownAt - embedPoll.At).TotalMilliseconds:N0} ms after the poll that saw it");
        await Screenshot(embed, "embed-desktop");

        await using var phone = await site.NewContextAsync(360, 640);
        var phoneEmbed = await phone.NewPageAsync();
        await phoneEmbed.GotoAsync(embedUrl);
        await Expect(phoneEmbed.GetByTestId("embed-track")).ToHaveTextAsync(second.Name, new() { Timeout = Waits.PatienceMs });
        await Screenshot(phoneEmbed, "embed-phone");

        // The README image: the current track, at most 10 s of caching, an ETag that answers 304.
        using var http = new HttpClient { BaseAddress = site.Origin };
        using var svg = await http.GetAsync(svgUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(svg.Headers.CacheControl?.MaxAge);
        Assert.True(svg.Headers.CacheControl!.MaxAge <= TimeSpan.FromSeconds(10), $"max-age {svg.Headers.CacheControl.MaxAge}");
        Assert.NotNull(svg.Headers.ETag);
        var body = await svg.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains(second.Name, body, StringComparison.Ordinal);
        Assert.StartsWith("<svg", body.TrimStart().Replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "", StringComparison.OrdinalIgnoreCase).TrimStart(), StringComparison.Ordinal);
        using var again = new HttpRequestMessage(HttpMethod.Get, svgUrl);
        again.Headers.IfNoneMatch.Add(svg.Headers.ETag!);
        using var notModified = await http.SendAsync(again, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task AShareTokenCannotReadStats()
    {
        await using var owner = await site.NewContextAsync();
        var page = await owner.NewPageAsync();
        var account = await SignInAsync(page, "sam");
        var (token, _, _) = await CreateShareTokenAsync(owner);
        var ct = TestContext.Current.CancellationToken;

        using var http = new HttpClient { BaseAddress = site.Origin };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/embed/{token}", ct)).StatusCode);
        foreach (var path in new[] { $"/api/accounts/{account}/stats/summary", $"/api/accounts/{account}/plays", "/api/household/stats/summary", "/api/accounts", "/api/me/share-tokens" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{path}?share={token}", ct)).StatusCode);
            using var bearer = new HttpRequestMessage(HttpMethod.Get, path);
            bearer.Headers.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(bearer, ct)).StatusCode);
        }

        // And the signed-in member can, so the 401s above are the token's doing.
        var stats = await page.APIRequest.GetAsync($"/api/accounts/{account}/stats/summary");
        Assert.Equal(200, stats.Status);
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryPageIsAccessibleAndKeyboardNavigable(string scheme)
    {
        await using var context = await site.NewContextAsync(colorScheme: scheme);
        var page = await context.NewPageAsync();
        var account = await SignInAsync(page, "alex");
        await WaitForHistoryAsync(page, account);

        // axe-core (WCAG 2 A/AA rules, contrast included) finds nothing serious or critical on any page.
        foreach (var (path, ready) in new[]
        {
            ("/", "now-playing-card"),
            ($"/accounts/{account}", "chart-timeline"),
            ($"/accounts/{account}/history", "history-row"),
            ("/accounts", "account-row"),
        })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByTestId(ready).First).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
            // Settled when every section has loaded: no loading state left (a live hub connection never lets the
            // network go idle, so that is no signal).
            await Expect(page.Locator(".state-loading")).ToHaveCountAsync(0, new() { Timeout = (float)Patience.TotalMilliseconds });
            var result = await page.RunAxe();
            Assert.True(result.Passes.Length > 10, $"axe checked almost nothing on {path}.");
            var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
            Assert.True(serious.Count == 0, $"{path} ({scheme}): " + string.Join("; ", serious.Select(v =>
                $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
        }

        // From the top of a page, the keyboard reaches a skip link first, and it leads into the main content.
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("now-playing-card").First).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        await page.Keyboard.PressAsync("Tab");
        var focused = await page.EvaluateAsync<string>("document.activeElement?.textContent ?? ''");
        Assert.Contains("skip", focused, StringComparison.OrdinalIgnoreCase);
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.EvaluateAsync<bool>("!!document.activeElement?.closest('main') || document.activeElement?.tagName === 'MAIN'"), "The skip link did not move focus into the main content.");

        // Every navigation link is reachable by Tab and opens its page with Enter.
        await page.GotoAsync("/");
        for (var i = 0; i < 30; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string>("document.activeElement?.textContent?.trim() ?? ''") == "Accounts")
            {
                break;
            }
        }

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith("/accounts", StringComparison.Ordinal));
        await Expect(page.GetByTestId("account-row").First).ToBeVisibleAsync();
    }

    private static ILocator Card(IPage page, string account) =>
        page.Locator($"[data-testid=now-playing-card][data-account-id=\"{account}\"]");

    private static string AccountKey(FakeUser user) => string.IsNullOrEmpty(user.AccountId) ? user.Id : user.AccountId;

    /// <summary>Makes the user play a new track from now on, in place of what the demo script had planned next.</summary>
    private static FakeTrack StartPlaying(FakeUser user)
    {
        var track = Catalog[Interlocked.Increment(ref _nextTrack) % Catalog.Count];
        user.TakeOver(new ScriptedPlay(DateTimeOffset.UtcNow.AddSeconds(-1), track, track.Duration));
        return track;
    }

    private Task<string> SignInAsync(IPage page, string user) => site.SignInAsync(page, user, Patience);

    /// <summary>The site's fixture waited for the demo's import (demoDataComplete): the seeded history is all there.</summary>
    private static async Task WaitForHistoryAsync(IPage page, string account)
    {
        var info = await page.APIRequest.GetAsync("/api/info");
        Assert.True((await info.JsonAsync())!.Value.GetProperty("demoDataComplete").GetBoolean(), "The demo's history import is not complete.");
        var summary = await page.APIRequest.GetAsync($"/api/accounts/{account}/stats/summary?range=all");
        Assert.Equal(200, summary.Status);
        Assert.True((await summary.JsonAsync())!.Value.GetProperty("plays").GetInt64() > 500, "The demo's seeded history is missing.");
    }

    private static async Task<(string Token, string EmbedUrl, string SvgUrl)> CreateShareTokenAsync(IBrowserContext context)
    {
        var created = await context.APIRequest.PostAsync("/api/me/share-tokens", new() { DataObject = new { label = "My website", includeRecent = true } });
        Assert.Equal(201, created.Status);
        var json = (await created.JsonAsync())!.Value;
        return (json.GetProperty("token").GetString()!, json.GetProperty("embedUrl").GetString()!, json.GetProperty("svgUrl").GetString()!);
    }

    /// <summary>Figures the closing notes quote, in test-output/browser-timings.txt.</summary>
    private static async Task Record(string line)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Repository.Screenshots)!);
        await File.AppendAllTextAsync(Path.Combine(Path.GetDirectoryName(Repository.Screenshots)!, "browser-timings.txt"), $"{DateTimeOffset.UtcNow:O} {line}{Environment.NewLine}");
    }

    private static async Task Screenshot(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(Repository.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Screenshots, name + ".png"), FullPage = fullPage });
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    [GeneratedRegex("^[A-Za-z ]{3,40}$")]
    private static partial Regex PlainName();
}
