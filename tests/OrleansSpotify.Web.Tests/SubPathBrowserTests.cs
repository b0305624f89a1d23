using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The dashboard under a sub-path (<c>PathBase=/music</c>) in Debian's Chromium: sign-in, the live overview over the
/// hub, the charts, deep links on reload, share links — every request it makes stays under /music — and the
/// Content-Security-Policy, which no page violates.
/// </summary>
public sealed class SubPathBrowserTests(SubPathSite site) : IClassFixture<SubPathSite>
{
    private static readonly TimeSpan Patience = Waits.Patience;
    private static readonly IReadOnlyList<FakeTrack> Catalog = FakeCatalog.Generate(seed: 2026).Tracks
        .Where(t => t.Name.All(c => char.IsAsciiLetter(c) || c == ' ') && t.Name.Length is >= 3 and <= 40)
        .ToList();

    private static int _nextTrack = 31;

    /// <summary>A 1×1 PNG: Spotify's image CDN as the tests have it (no internet here).</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=");

    [Fact]
    public async Task SignInTheLiveOverviewTheChartsAndDeepLinksAllStayUnderTheSubPath()
    {
        await using var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        var traffic = Traffic.Watch(page);
        var sockets = new ConcurrentQueue<string>();
        page.WebSocket += (_, socket) => sockets.Enqueue(socket.Url);

        var account = await SignInAsync(page, "alex");

        // The hub is connected under the prefix, over WebSockets: a track change reaches the card without a reload.
        await Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("Live", new() { Timeout = (float)Patience.TotalMilliseconds });
        await page.EvaluateAsync("window.__sameDocument = true");
        var alex = site.Fake.GetUser("alex");
        var track = StartPlaying(alex);
        await Expect(Card(page, account).GetByTestId("now-playing-track")).ToHaveTextAsync(track.Name, new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "The page was reloaded.");
        Assert.Contains(sockets, url => url.StartsWith($"ws://127.0.0.1:{site.Port}/music/hubs/listening?", StringComparison.Ordinal));

        // The dashboard, reached through the app's own link, draws its charts from the API under the prefix.
        await site.HistoryImported.WaitAsync(Patience, TestContext.Current.CancellationToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "My stats" }).ClickAsync();
        await page.WaitForURLAsync(site.Url($"/accounts/{Uri.EscapeDataString(account)}"));
        await ExpectChartsReadyAsync(page);

        // A deep link survives a reload (the Host serves the app for /music/accounts/…), and so does another one.
        await page.ReloadAsync();
        await ExpectChartsReadyAsync(page);
        await page.GotoAsync(site.Url($"/accounts/{Uri.EscapeDataString(account)}/history"));
        await Expect(page.GetByTestId("history-row").First).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        await page.GetByRole(AriaRole.Link, new() { Name = "Accounts", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("account-row").First).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.Equal(site.Url("/accounts"), page.Url);

        AssertAllUnderTheSubPath(traffic);
    }

    [Fact]
    public async Task NoPageViolatesTheContentSecurityPolicy()
    {
        await using var context = await site.NewContextAsync();
        await context.AddInitScriptAsync(CspViolations.InitScript);
        var page = await context.NewPageAsync();
        var errors = ConsoleErrors.Watch(page);
        var traffic = Traffic.Watch(page);

        // The welcome page; a signed-out visitor's GET /api/me answers 401, which Chromium logs as the one error.
        await page.GotoAsync(site.Home.AbsoluteUri);
        await Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();
        Assert.Empty(await page.EvaluateAsync<string[]>("window.__cspViolations"));
        Assert.All(errors.Messages, e => Assert.Contains("401 (Unauthorized) (" + site.Url("/api/me"), e, StringComparison.Ordinal));
        errors.Messages.Clear();

        var account = await SignInAsync(page, "sam");
        await Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("Live", new() { Timeout = (float)Patience.TotalMilliseconds });
        var covers = await page.Locator("img.cover").CountAsync();
        await AssertNoViolationsAsync(page, errors, "the overview");

        await site.HistoryImported.WaitAsync(Patience, TestContext.Current.CancellationToken);
        await page.GotoAsync(site.Url($"/accounts/{Uri.EscapeDataString(account)}"));
        await ExpectChartsReadyAsync(page);
        await AssertNoViolationsAsync(page, errors, "the dashboard");

        await page.GotoAsync(site.Url($"/accounts/{Uri.EscapeDataString(account)}/history"));
        await Expect(page.GetByTestId("history-row").First).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        await AssertNoViolationsAsync(page, errors, "the history");

        // The accounts page, with a share link made through its form: the links it shows are absolute, on this
        // origin, under the prefix.
        await page.GotoAsync(site.Url("/accounts"));
        await Expect(page.GetByTestId("account-row").First).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Blog");
        await page.GetByLabel("Include my recent plays").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create share link" }).ClickAsync();
        var embedUrl = await page.GetByLabel("Embed URL", new() { Exact = true }).InputValueAsync();
        Assert.StartsWith(site.Url("/embed/now-playing/"), embedUrl, StringComparison.Ordinal);
        Assert.StartsWith(site.Url("/embed/now-playing/"), await page.GetByLabel("SVG URL", new() { Exact = true }).InputValueAsync(), StringComparison.Ordinal);
        Assert.Contains($"src=\"{embedUrl}", await page.GetByLabel("iframe", new() { Exact = true }).InputValueAsync(), StringComparison.Ordinal);
        await AssertNoViolationsAsync(page, errors, "the accounts page");

        // The embed page, on its own, live over the hub under the prefix.
        var embed = await context.NewPageAsync();
        var embedErrors = ConsoleErrors.Watch(embed);
        var embedTraffic = Traffic.Watch(embed);
        await embed.GotoAsync(embedUrl);
        var sam = site.Fake.GetUser("sam");
        var track = StartPlaying(sam);
        await Expect(embed.GetByTestId("embed-track")).ToHaveTextAsync(track.Name, new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(embed.GetByText("Live", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        await AssertNoViolationsAsync(embed, embedErrors, "the embed page");

        // Another site may frame the embed page, but not the app (frame-ancestors 'none').
        var framer = await context.NewPageAsync();
        var refused = framer.WaitForConsoleMessageAsync(new() { Predicate = m => m.Text.Contains("frame-ancestors 'none'", StringComparison.Ordinal) });
        await framer.SetContentAsync($"<iframe id=\"embed\" src=\"{embedUrl}\" width=\"420\" height=\"440\"></iframe><iframe id=\"app\" src=\"{site.Home}\"></iframe>");
        await Expect(framer.FrameLocator("#embed").GetByTestId("embed-track")).ToHaveTextAsync(track.Name, new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.Contains($"Framing '{site.Origin.AbsoluteUri}'", (await refused).Text, StringComparison.Ordinal);
        var framedEmbed = framer.Frames.Single(f => f.Url.StartsWith(embedUrl, StringComparison.Ordinal));
        Assert.Empty(await framedEmbed.EvaluateAsync<string[]>("window.__cspViolations"));

        // And the checks above could fail: the same listener sees a violation when the policy is broken on purpose.
        Assert.True(covers > 0 || await embed.Locator("img.cover").CountAsync() > 0, "No cover art was shown, so img-src was never exercised.");
        await embed.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.head.append(s); }");
        await embed.WaitForFunctionAsync("window.__cspViolations.length > 0");
        Assert.False(await embed.EvaluateAsync<bool>("window.__ran === true"), "An inline script ran.");
        Assert.Contains("script-src", await embed.EvaluateAsync<string>("window.__cspViolations[0]"), StringComparison.Ordinal);

        AssertAllUnderTheSubPath(traffic);
        AssertAllUnderTheSubPath(embedTraffic);
    }

    /// <summary>Signs in through the app's button and the fake Spotify's account chooser; returns the account id.</summary>
    private async Task<string> SignInAsync(IPage page, string user)
    {
        // Spotify's image CDN: the browser's requests answered here (CSP still decides whether they may be made).
        await page.Context.RouteAsync("https://i.scdn.co/**", route => route.FulfillAsync(new() { ContentType = "image/png", BodyBytes = Pixel }));
        if (page.Url != site.Home.AbsoluteUri)
        {
            await page.GotoAsync(site.Home.AbsoluteUri);
        }

        var signIn = page.GetByTestId("sign-in");
        Assert.Equal("/music/auth/login", await signIn.GetAttributeAsync("href"));
        await signIn.ClickAsync();
        await page.Locator($"a[href*='fake_user={user}']").ClickAsync();
        await page.WaitForURLAsync(site.Home.AbsoluteUri);
        await Expect(page.GetByTestId("now-playing-card").First).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        var me = await page.APIRequest.GetAsync(site.Url("/api/me"));
        Assert.Equal(200, me.Status);
        return (await me.JsonAsync())!.Value.GetProperty("id").GetString()!;
    }

    private static async Task ExpectChartsReadyAsync(IPage page)
    {
        foreach (var chart in new[] { "chart-timeline", "chart-heatmap", "chart-top-tracks", "chart-top-artists", "chart-streaks" })
        {
            await Expect(page.GetByTestId(chart)).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = (float)Patience.TotalMilliseconds });
        }
    }

    private static async Task AssertNoViolationsAsync(IPage page, ConsoleErrors errors, string where)
    {
        var violations = await page.EvaluateAsync<string[]>("window.__cspViolations");
        Assert.True(violations.Length == 0, $"CSP violations on {where}:\n" + string.Join("\n", violations));
        Assert.True(errors.Messages.IsEmpty, $"Console errors on {where}:\n" + string.Join("\n", errors.Messages));
    }

    private static ILocator Card(IPage page, string account) =>
        page.Locator($"[data-testid=now-playing-card][data-account-id=\"{account}\"]");

    private static FakeTrack StartPlaying(FakeUser user)
    {
        var track = Catalog[Interlocked.Increment(ref _nextTrack) % Catalog.Count];
        user.TakeOver(new ScriptedPlay(DateTimeOffset.UtcNow.AddSeconds(-1), track, track.Duration)); // the demo script's next track would replace it
        return track;
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private void AssertAllUnderTheSubPath(Traffic traffic) =>
        traffic.AssertAllUnder(site.Origin, SubPathSite.PathBase, ["http", "ws"], "i.scdn.co", site.Fake.BaseUri.Authority);
}
