using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OrleansSpotify.Web.Tests;

/// <summary>The Accounts page's export links download the member's whole history in Chromium.</summary>
public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task TheAccountsPageDownloadsYourWholeHistoryAsTheImportableJson()
    {
        await using var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        var account = await SignInAsync(page, "alex");
        await WaitForHistoryAsync(page, account);
        await page.GotoAsync("/accounts");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Export the household's shared plays" })).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });

        // The demo keeps polling: the file holds at least the plays counted before and at most those counted after.
        var before = await PlayCountAsync(page, account);
        var mine = page.GetByRole(AriaRole.Group, new() { Name = "Export my plays" });
        var download = await page.RunAndWaitForDownloadAsync(() => mine.GetByRole(AriaRole.Link, new() { Name = "JSON" }).ClickAsync());
        var path = await download.PathAsync();
        var after = await PlayCountAsync(page, account);

        Assert.Matches($"^orleans-spotify-{Regex.Escape(account)}-\\d{{8}}\\.json$", download.SuggestedFilename);
        await using var file = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(file, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("orleans-spotify-plays", document.RootElement.GetProperty("format").GetString());
        var exported = Assert.Single(document.RootElement.GetProperty("accounts").EnumerateArray());
        Assert.Equal(account, exported.GetProperty("id").GetString());
        var plays = exported.GetProperty("plays").GetArrayLength();
        Assert.InRange(plays, before, after);
        Assert.True(plays > 500, $"only {plays} plays in the download");
        await Record($"export: {plays} plays of the demo's Alex downloaded as {new FileInfo(path).Length / 1e6:F1} MB of json through the Accounts page");
    }

    private static async Task<long> PlayCountAsync(IPage page, string account)
    {
        var accounts = await page.APIRequest.GetAsync("/api/accounts");
        return (await accounts.JsonAsync())!.Value.EnumerateArray().Single(a => a.GetProperty("id").GetString() == account).GetProperty("playCount").GetInt64();
    }
}
