using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// A gap in a member's history on their dashboard, in Debian's Chromium against the Host in demo mode: the timeline
/// shades it and says how many plays may be missing between when and when (the estimate explained in its tooltip);
/// once an import has closed it, the dashboard no longer shows it. The gap is stored as the listener stores one (its
/// detection is the grain and Host tests'). Screenshots go to test-output/screenshots.
/// </summary>
public sealed class GapsBrowserTests(DemoSite site) : IClassFixture<DemoSite>
{
    private static readonly TimeSpan Patience = Waits.Patience;

    [Fact]
    public async Task TheTimelineShadesAnOpenGapAndSaysHowManyPlaysMayBeMissing()
    {
        await using var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        var account = await site.SignInAsync(page, "alex", Patience);
        await site.HistoryImported.WaitAsync(Patience, TestContext.Current.CancellationToken);

        // A four-hour gap three days ago (local time of the browser, which is this machine's).
        var day = DateTime.Now.Date.AddDays(-3);
        var from = new DateTimeOffset(day.AddHours(10));
        var to = new DateTimeOffset(day.AddHours(14));
        var gaps = site.Services.GetRequiredService<HistoryGapStore>();
        Assert.True(gaps.Record(account, from, to, DateTimeOffset.UtcNow));

        await page.GotoAsync($"/accounts/{account}?range=4w&bucket=day");
        var timeline = page.GetByTestId("chart-timeline");
        await Expect(timeline).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = (float)Patience.TotalMilliseconds });
        var notice = timeline.GetByTestId("timeline-gaps").GetByRole(AriaRole.Listitem);
        await Expect(notice).ToHaveCountAsync(1);
        await Expect(notice).ToContainTextAsync(new System.Text.RegularExpressions.Regex("(About|Up to) [0-9,.]+ plays? may be missing between .+ and .+"));
        await Expect(notice).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("plays a day|only the bound"));
        await Expect(timeline.Locator(".recharts-reference-area")).ToHaveCountAsync(1);
        await Expect(timeline.GetByRole(AriaRole.Img)).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("a gap in the history shaded"));
        await notice.HoverAsync();
        await Screenshot(timeline, "dashboard-gap");
        await Screenshot(page, "dashboard-gap-page", fullPage: true);

        // Closed by an import: the dashboard shows it no more.
        Assert.Equal(1, gaps.CloseCovered(account, from.AddDays(-1), to.AddDays(1), HistoryGap.ClosedByImport, DateTimeOffset.UtcNow));
        await page.ReloadAsync();
        await Expect(timeline).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(timeline.GetByTestId("timeline-gaps")).ToHaveCountAsync(0);
        await Expect(timeline.Locator(".recharts-reference-area")).ToHaveCountAsync(0);
    }

    private static async Task Screenshot(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(Repository.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Screenshots, name + ".png"), FullPage = fullPage });
    }

    private static async Task Screenshot(ILocator element, string name)
    {
        Directory.CreateDirectory(Repository.Screenshots);
        await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Repository.Screenshots, name + ".png") });
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
