using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// The household page in Debian's Chromium against the Host in demo mode: the leaderboard, shared taste, the tops
/// with who contributed and the heatmap, for everyone sharing and with a member who keeps their stats private.
/// Screenshots go to test-output/screenshots.
/// </summary>
public sealed class HouseholdBrowserTests(DemoSite site) : IClassFixture<DemoSite>
{
    private static readonly TimeSpan Patience = Waits.Patience;

    private static readonly string[] Panels =
        ["household-leaderboard", "household-affinity", "household-top-tracks", "household-top-artists", "household-top-albums", "household-heatmap"];

    [Fact]
    public async Task TheHouseholdPageShowsWhoListenedWhoSharesTasteAndWhoContributedAndLeavesOutAPrivateMember()
    {
        await site.HistoryImported.WaitAsync(Patience, TestContext.Current.CancellationToken);
        await using var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        var alex = await SignInAsync(page, "alex");
        await using var robinContext = await site.NewContextAsync();
        var robin = await SignInAsync(await robinContext.NewPageAsync(), "robin");

        // Everyone shares: three members ranked, three pairs in the matrix, contributors by name.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Household" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/household", StringComparison.Ordinal));
        await WaitForPanelsAsync(page);
        await Expect(page.GetByTestId("leaderboard-row")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("household-affinity").Locator("td.affinity-cell")).ToHaveCountAsync(6);
        Assert.True(await page.GetByTestId("household-top-tracks").GetByTestId("top-item").CountAsync() > 0, "The household's top tracks are empty.");
        await Expect(page.GetByTestId("household-top-artists").GetByTestId("contributors").First).ToContainTextAsync("Alex Morgan");
        await Expect(page.GetByTestId("household-top-tracks").Locator($"[data-account=\"{robin}\"]").First).ToBeVisibleAsync();
        Assert.True(await page.GetByTestId("household-heatmap").Locator("td.heatmap-cell[aria-label$=' 0 plays']").CountAsync() < 7 * 24, "The heatmap is empty.");
        await Screenshot(page, "household-desktop", fullPage: true);

        await AssertAccessibleAsync(page, "light");

        // Robin keeps their stats private: named once as not counted, and in no ranking, pair or contribution.
        var sharing = await robinContext.APIRequest.PutAsync("/api/me/sharing", new() { DataObject = new { shareStats = false } });
        Assert.Equal(200, sharing.Status);
        await page.ReloadAsync();
        await WaitForPanelsAsync(page);
        await Expect(page.GetByTestId("private-note")).ToContainTextAsync("Robin Chen keeps their stats private");
        await Expect(page.GetByTestId("leaderboard-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("household-affinity").Locator("td.affinity-cell")).ToHaveCountAsync(2);
        await Expect(page.Locator($"[data-account=\"{robin}\"]")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("household-top-tracks").Locator($"[data-account=\"{alex}\"]").First).ToBeVisibleAsync();
        foreach (var panel in Panels.SkipLast(1))
        {
            await Expect(page.GetByTestId(panel)).Not.ToContainTextAsync("Robin");
        }

        await using var phone = await site.NewContextAsync(390, 844, "dark");
        var phonePage = await phone.NewPageAsync();
        await SignInAsync(phonePage, "sam");
        await phonePage.GotoAsync("/household?range=6m");
        await WaitForPanelsAsync(phonePage);
        Assert.True(await phonePage.EvaluateAsync<bool>("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) <= window.innerWidth + 1"), "The household page scrolls sideways on a phone.");
        await Screenshot(phonePage, "household-phone", fullPage: true);
        await AssertAccessibleAsync(phonePage, "dark");
    }

    /// <summary>axe-core (WCAG 2 A/AA rules, contrast included) finds nothing serious or critical.</summary>
    private static async Task AssertAccessibleAsync(IPage page, string scheme)
    {
        var result = await page.RunAxe();
        Assert.True(result.Passes.Length > 10, "axe checked almost nothing on /household.");
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"/household ({scheme}): " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
    }

    private static async Task WaitForPanelsAsync(IPage page)
    {
        foreach (var panel in Panels)
        {
            await Expect(page.GetByTestId(panel)).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = (float)Patience.TotalMilliseconds });
        }
    }

    private Task<string> SignInAsync(IPage page, string user) => site.SignInAsync(page, user, Patience);

    private static async Task Screenshot(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(Repository.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Screenshots, name + ".png"), FullPage = fullPage });
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
