using System.Collections.Concurrent;
using Microsoft.Playwright;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The dashboard in Debian's Chromium behind Debian's Caddy (the shipped deploy/Caddyfile, https with
/// <c>tls internal</c>), at the root and under /music (<c>handle_path</c> + <c>X-Forwarded-Prefix</c>, no
/// <c>PathBase</c> setting): the app's sign-in link, the fake Spotify's chooser served by the Host through Caddy,
/// the signed-in overview kept live over the hub (wss through Caddy), the charts — and every request the pages made
/// went to Caddy's https origin under the prefix, none to the Host's own port, none answered 404, no CSP violation.
/// </summary>
public sealed class CaddyBrowserTests(CaddySite site) : IClassFixture<CaddySite>
{
    private static readonly TimeSpan Patience = Waits.Patience;
    private static readonly IReadOnlyList<FakeTrack> Catalog = FakeCatalog.Generate(seed: 2026).Tracks
        .Where(t => t.Name.All(c => char.IsAsciiLetter(c) || c == ' ') && t.Name.Length is >= 3 and <= 40)
        .ToList();

    private static int _nextTrack = 57;

    /// <summary>A 1×1 PNG: Spotify's image CDN as the tests have it (no internet here).</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=");

    [Fact]
    public Task TheDashboardWorksThroughCaddyAtTheRoot() => SignInGoLiveAndOpenTheChartsAsync(site.Caddy.RootOrigin, "", "alex");

    [Fact]
    public Task TheDashboardWorksThroughCaddyUnderASubPath() => SignInGoLiveAndOpenTheChartsAsync(site.Caddy.SubPathOrigin, "/music", "robin");

    [Fact]
    public async Task ABrowserThatDoesNotTrustCaddysLocalCaRefusesTheSite()
    {
        // The https is real: without the switch that trusts Caddy's CA, Chromium refuses the certificate.
        await using var untrusting = await Chromium.LaunchAsync(site.Playwright);
        var page = await untrusting.NewPageAsync();
        var refused = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(site.Caddy.RootOrigin.AbsoluteUri));
        Assert.Contains("ERR_CERT_AUTHORITY_INVALID", refused.Message, StringComparison.Ordinal);
    }

    private async Task SignInGoLiveAndOpenTheChartsAsync(Uri origin, string prefix, string user)
    {
        var home = new Uri(origin, prefix + "/").AbsoluteUri;
        string Url(string appPath) => new Uri(origin, prefix + appPath).AbsoluteUri;

        await using var context = await site.NewContextAsync();
        await context.RouteAsync("https://i.scdn.co/**", route => route.FulfillAsync(new() { ContentType = "image/png", BodyBytes = Pixel }));
        var page = await context.NewPageAsync();
        var traffic = Traffic.Watch(page);
        var errors = ConsoleErrors.Watch(page);
        var sockets = new ConcurrentQueue<string>();
        page.WebSocket += (_, socket) => sockets.Enqueue(socket.Url);

        // Signed out: the welcome page and its sign-in link under the prefix (its GET /api/me answers 401, which
        // Chromium logs as the one console error; over Caddy's HTTP/2 the status has no reason phrase).
        await page.GotoAsync(home);
        var signIn = page.GetByTestId("sign-in");
        await Expect(signIn).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.Equal(prefix + "/auth/login", await signIn.GetAttributeAsync("href"));
        Assert.All(errors.Messages, e => Assert.True(
            e.Contains("status of 401", StringComparison.Ordinal) && e.Contains($"({Url("/api/me")}:", StringComparison.Ordinal),
            "Console error: " + e));
        errors.Messages.Clear();

        // The app's link, the fake's chooser (served by the Host through Caddy under the prefix), the member's link.
        await signIn.ClickAsync();
        var member = page.Locator($"a[href*='fake_user={user}']");
        await Expect(member).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.StartsWith(Url("/demo/spotify/authorize?"), page.Url, StringComparison.Ordinal);
        await member.ClickAsync();
        await page.WaitForURLAsync(home, new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.GetByTestId("now-playing-card").First).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        var account = await page.EvaluateAsync<string>("async (url) => (await (await fetch(url)).json()).id", Url("/api/me"));
        var cookie = Assert.Single(await context.CookiesAsync([home]), c => c.Name == "orleans-spotify");
        Assert.True(cookie.Secure, "The member cookie is Secure behind https.");
        Assert.Equal(prefix.Length == 0 ? "/" : prefix, cookie.Path);

        // The hub goes live over wss through Caddy: a track change reaches the member's card without a reload.
        await Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("Live", new() { Timeout = (float)Patience.TotalMilliseconds });
        await page.EvaluateAsync("window.__sameDocument = true");
        var track = StartPlaying(site.Fake.GetUser(user));
        await Expect(Card(page, account).GetByTestId("now-playing-track")).ToHaveTextAsync(track.Name, new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "The page was reloaded.");
        var hub = new Uri(origin, prefix + "/hubs/listening?").AbsoluteUri.Replace("https://", "wss://", StringComparison.Ordinal);
        Assert.Contains(sockets, url => url.StartsWith(hub, StringComparison.Ordinal));
        await AssertNoViolationsAsync(page, errors, "the overview");

        // The dashboard, through the app's own link: its charts drawn from the API through Caddy.
        await site.HistoryImported.WaitAsync(Patience, TestContext.Current.CancellationToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "My stats" }).ClickAsync();
        await page.WaitForURLAsync(Url($"/accounts/{Uri.EscapeDataString(account)}"));
        foreach (var chart in new[] { "chart-timeline", "chart-heatmap", "chart-top-tracks", "chart-top-artists", "chart-streaks" })
        {
            await Expect(page.GetByTestId(chart)).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = (float)Patience.TotalMilliseconds });
        }

        await AssertNoViolationsAsync(page, errors, "the dashboard");
        var direct = traffic.Requests.Where(u => u.Port == site.Port).ToList();
        Assert.True(direct.Count == 0, "Requests to the Host's own port:\n" + string.Join("\n", direct));
        traffic.AssertAllUnder(origin, prefix, ["https", "wss"], "i.scdn.co");
    }

    private static async Task AssertNoViolationsAsync(IPage page, ConsoleErrors errors, string where)
    {
        var violations = await CspViolations.OfAsync(page);
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
}
