using System.Globalization;
using Microsoft.Playwright;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Web.Tests;

/// <summary>A member imports Spotify's export zip through the dashboard's Import page in Chromium.</summary>
public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task AMemberImportsAnExportZipAndWatchesTheProgressBarTheReportAndTheirStats()
    {
        var zip = Path.Combine(site.DataDirectory, "..", $"export-{Guid.NewGuid():N}", "my_spotify_data.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(zip)!);
        IReadOnlyList<GeneratedFile<ExtendedRow>> files;
        await using (var file = File.Create(zip))
        {
            files = new ExportGenerator(seed: 10).WriteExtendedZip(file, count: 4_000, new DateTimeOffset(2021, 2, 1, 7, 0, 0, TimeSpan.Zero), rowsPerFile: 1_500);
        }

        var rows = files.Sum(f => f.Rows.Count).ToString(CultureInfo.InvariantCulture);
        await using var context = await site.NewContextAsync();
        await context.AddInitScriptAsync(CspViolations.InitScript);
        var page = await context.NewPageAsync();
        var errors = ConsoleErrors.Watch(page);
        var account = await SignInAsync(page, "sam");
        await WaitForHistoryAsync(page, account);

        // The member's all-time stats, open in another tab while the import runs: they change without a reload.
        var dashboard = await context.NewPageAsync();
        await dashboard.GotoAsync($"/accounts/{account}?range=all");
        var playsTile = dashboard.GetByTestId("summary-tiles").Locator("div.tile").Filter(new() { Has = dashboard.Locator("dt", new() { HasTextRegex = new("^Plays$") }) }).Locator("dd");
        await Expect(dashboard.GetByTestId("summary-tiles")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = (float)Patience.TotalMilliseconds });
        var playsBefore = await playsTile.InnerTextAsync();
        await dashboard.EvaluateAsync("window.__sameDocument = true");

        // From the member's own row on the Accounts page to the Import page.
        await page.GotoAsync("/accounts");
        var ownRow = page.Locator($"[data-testid=account-row][data-account-id=\"{account}\"]");
        await ownRow.GetByRole(AriaRole.Link, new() { Name = "Import history" }).ClickAsync();
        await page.WaitForURLAsync($"**/accounts/{account}/import");
        await Expect(page.GetByTestId("import-dropzone")).ToBeVisibleAsync();

        await page.GetByTestId("import-input").SetInputFilesAsync(zip);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Chosen files" })).ToContainTextAsync("my_spotify_data.zip");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import 1 file" }).ClickAsync();

        // The bar counts every row of the zip's history files and reaches its end.
        var bar = page.GetByRole(AriaRole.Progressbar, new() { Name = "Rows imported" });
        await Expect(bar).ToHaveAttributeAsync("aria-valuemax", rows, new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", rows, new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.GetByTestId("import-state")).ToHaveTextAsync("Done", new() { Timeout = (float)Patience.TotalMilliseconds });

        // The report: the counts the API reports for the job, a row per file, the ReadMe PDF left out.
        var jobs = await page.APIRequest.GetAsync($"/api/accounts/{account}/imports");
        var job = (await jobs.JsonAsync())!.Value.EnumerateArray().First();
        Assert.Equal("done", job.GetProperty("state").GetString());
        var imported = job.GetProperty("imported").GetInt64();
        Assert.True(imported > 3_000, $"only {imported} of {rows} rows were imported");
        var counts = page.GetByTestId("import-counts");
        foreach (var key in new[] { "imported", "merged", "duplicates", "skipped" })
        {
            var value = job.GetProperty(key).GetInt64().ToString("N0", CultureInfo.GetCultureInfo("en-US"));
            await Expect(counts.Locator($"[data-count={key}] dd")).ToContainTextAsync(value);
        }

        await Expect(page.GetByTestId("import-file")).ToHaveCountAsync(files.Count);
        await Expect(page.GetByTestId("import-skipped-entries")).ToContainTextAsync("ReadMeFirst_ExtendedStreamingHistory.pdf");
        await Expect(page.GetByTestId("past-import").First).ToHaveAttributeAsync("data-state", "done");
        await Screenshot(page, "import-desktop", fullPage: true);

        // The open dashboard refetched its stats when the job ended: the imported plays are counted.
        await Expect(playsTile).Not.ToHaveTextAsync(playsBefore, new() { Timeout = (float)Patience.TotalMilliseconds });
        var before = ParseCount(playsBefore);
        var after = ParseCount(await playsTile.InnerTextAsync());
        Assert.True(after >= before + 2_000, $"plays {before} -> {after} after importing {imported} rows");
        Assert.True(await dashboard.EvaluateAsync<bool>("window.__sameDocument === true"), "The dashboard was reloaded.");
        await Record($"import: {rows} rows of a generated export zip through the Import page, {imported} imported; all-time plays on the open dashboard {before} -> {after}");

        // On a phone: the report fits the width (the per-file table scrolls inside its own box).
        await using var phone = await site.NewContextAsync(390, 844);
        var phonePage = await phone.NewPageAsync();
        await SignInAsync(phonePage, "sam");
        await phonePage.GotoAsync($"/accounts/{account}/import?job={job.GetProperty("id").GetString()}");
        await Expect(phonePage.GetByTestId("import-state")).ToHaveTextAsync("Done", new() { Timeout = (float)Patience.TotalMilliseconds });
        Assert.True(await phonePage.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), "The Import page scrolls sideways on a phone.");
        await Screenshot(phonePage, "import-phone", fullPage: true);

        Assert.Empty(await CspViolations.OfAsync(page));
        Assert.DoesNotContain(errors.Messages, m => m.StartsWith("uncaught", StringComparison.Ordinal));
        Directory.Delete(Path.GetDirectoryName(zip)!, recursive: true);
    }

    [Fact]
    public async Task ARefusedFileShowsWhatTheServerSaidAndImportsNothing()
    {
        var bad = Path.Combine(site.DataDirectory, "..", $"bad-{Guid.NewGuid():N}", "Streaming_History_Audio_2020.json");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        await File.WriteAllTextAsync(bad, """[{"ts":"2020-01-01T10:00:00Z","ms_played":12""", TestContext.Current.CancellationToken);
        await using var context = await site.NewContextAsync();
        var page = await context.NewPageAsync();
        var account = await SignInAsync(page, "robin");
        var before = await (await page.APIRequest.GetAsync($"/api/accounts/{account}/imports")).JsonAsync();

        await page.GotoAsync($"/accounts/{account}/import");
        await page.GetByTestId("import-input").SetInputFilesAsync(bad);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import 1 file" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The files were not imported" });
        await Expect(alert).ToContainTextAsync("Streaming_History_Audio_2020.json", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(page.GetByRole(AriaRole.Progressbar)).ToHaveCountAsync(0);
        var after = await (await page.APIRequest.GetAsync($"/api/accounts/{account}/imports")).JsonAsync();
        Assert.Equal(before!.Value.GetArrayLength(), after!.Value.GetArrayLength());
        Directory.Delete(Path.GetDirectoryName(bad)!, recursive: true);
    }

    private static long ParseCount(string text) => long.Parse(new string([.. text.TakeWhile(c => c != '\n').Where(char.IsAsciiDigit)]), CultureInfo.InvariantCulture);
}
