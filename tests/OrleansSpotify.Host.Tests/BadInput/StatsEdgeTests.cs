using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansSpotify.Host.Tests.BadInput;

/// <summary>
/// The stats endpoints at the edges of the calendar (year 1, year 9999, ±14 h zones) and with ranges too long to
/// answer: 200 with clamped arithmetic where the range is valid, 400 naming the parameter where it cannot be
/// answered, never a 500; and the largest answers allowed stay under 5 MB.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class StatsEdgeTests
{
    public const long MaxAnswerBytes = 5 * 1024 * 1024;

    private static readonly string[] AccountStats =
        ["summary", "top-tracks", "top-artists", "top-albums", "heatmap", "timeline", "streaks", "discoveries", "sessions", "year-review", "genres"];

    private static readonly string[] HouseholdStats =
        ["summary", "top-tracks", "top-artists", "top-albums", "heatmap", "timeline", "leaderboard", "affinity"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DatesAtTheEdgesOfTheCalendarAnswerEveryStat()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();
        var me = await DemoSignIn.AsAsync(browser, "alex");
        await SignInTests.WaitForPlaysAsync(browser, me, expected: 1);

        // Every stat answers 200, but a timeline that would list more than 10,000 buckets (a range from the first
        // play to 9999, say) is refused naming the bucket limit.
        (string Query, bool TimelineTooLong)[] queries =
        [
            ("to=9999-12-31", true),
            ("from=0001-01-01&tz=Pacific/Kiritimati", true),
            ("from=0001-01-01&to=0001-01-02", false),
            ("to=9999-12-30&tz=Etc/GMT%2B12", true),
            ("from=9999-12-31&to=9999-12-31&tz=Pacific/Kiritimati", false),
            ("from=0001-01-01&to=0001-01-01&tz=Etc/GMT%2B12", false),
            ("from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z&bucket=month", true),
            ("from=2000-01-01&to=2026-12-31&tz=Pacific/Kiritimati&bucket=week", false),
        ];
        foreach (var (query, timelineTooLong) in queries)
        {
            foreach (var stat in AccountStats)
            {
                await AssertAnswerAsync(browser, $"/api/accounts/{me}/stats/{stat}?{query}", stat == "timeline" && timelineTooLong);
            }

            foreach (var stat in HouseholdStats)
            {
                await AssertAnswerAsync(browser, $"/api/household/stats/{stat}?{query}", stat == "timeline" && timelineTooLong);
            }
        }

        // The period before one that starts on the first day there is: empty, so no track has a previous rank.
        var top = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/top-tracks?from=0001-01-01&to=0001-01-02", Ct);
        Assert.Equal(top.GetProperty("previousFrom").GetDateTimeOffset(), top.GetProperty("previousTo").GetDateTimeOffset());
        Assert.Empty(top.GetProperty("items").EnumerateArray());

        // The whole calendar in UTC counts every play; the day count stops today.
        var all = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/summary?range=all", Ct);
        var edges = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/summary?from=0001-01-01&to=9999-12-31", Ct);
        Assert.Equal(all.GetProperty("plays").GetInt64(), edges.GetProperty("plays").GetInt64());

        // The last day streaks can show a calendar of: 9999, whole.
        var streaks = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/streaks?to=9999-12-30&tz=Etc/GMT%2B12", Ct);
        Assert.Equal(9999, streaks.GetProperty("calendarYear").GetInt32());
        Assert.Equal(365, streaks.GetProperty("calendar").GetArrayLength());

        // An empty clamped range (9999-12-31 lies past the last instant stats know) is an empty timeline, not an error.
        var empty = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/timeline?from=9999-12-31&to=9999-12-31", Ct);
        Assert.Empty(empty.GetProperty("points").EnumerateArray());
    }

    [Fact]
    public async Task ATimelineOfMoreThanTenThousandBucketsIsRefusedNamingTheLimitAndTheLargestAnswersStayUnderFiveMegabytes()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();
        var me = await DemoSignIn.AsAsync(browser, "alex");
        await SignInTests.WaitForPlaysAsync(browser, me, expected: 1);

        foreach (var query in new[]
                 {
                     "from=0001-01-01&to=9999-12-30&bucket=day",
                     "from=2000-01-01&to=9999-12-30&bucket=week",
                     "from=0001-01-01&to=9999-12-31&bucket=month",
                     "from=1990-01-01&to=2017-05-19&bucket=day",
                 })
        {
            foreach (var path in new[] { $"/api/accounts/{me}/stats/timeline?{query}", $"/api/household/stats/timeline?{query}" })
            {
                using var response = await browser.GetAsync(path, Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var bucket = JsonDocument.Parse(body).RootElement.GetProperty("errors").GetProperty("bucket")[0].GetString()!;
                Assert.Contains("10,000", bucket, StringComparison.Ordinal);
            }
        }

        // Open ranges keep working: clamped to the first and last play.
        var all = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/timeline?range=all", Ct);
        var summary = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/summary?range=all", Ct);
        var points = all.GetProperty("points");
        Assert.True(points.GetArrayLength() > 0);
        Assert.Equal(DateOnly.FromDateTime(summary.GetProperty("firstPlay").GetDateTime().ToUniversalTime()), DateOnly.Parse(points[0].GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/accounts/{me}/stats/timeline?from=all", Ct)).StatusCode);

        // The largest answers allowed: exactly 10,000 buckets; 500-item lists; the year in one payload.
        string[] largest =
        [
            $"/api/accounts/{me}/stats/timeline?from=1990-01-01&to=2017-05-18&bucket=day",
            $"/api/household/stats/timeline?from=1990-01-01&to=2017-05-18&bucket=day",
            $"/api/accounts/{me}/stats/timeline?from=1200-01-01&to=2033-04-30&bucket=month",
            $"/api/accounts/{me}/stats/top-tracks?range=all&limit=500",
            $"/api/accounts/{me}/stats/discoveries?range=all&limit=500",
            $"/api/accounts/{me}/stats/sessions?range=all&limit=500",
            $"/api/accounts/{me}/stats/year-review?limit=500",
            $"/api/household/stats/affinity?range=all&limit=100",
        ];
        foreach (var path in largest)
        {
            using var response = await browser.GetAsync(path, Ct);
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
            Assert.InRange(bytes.LongLength, 2, MaxAnswerBytes);
        }

        var days = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/timeline?from=1990-01-01&to=2017-05-18&bucket=day", Ct);
        Assert.Equal(10_000, days.GetProperty("points").GetArrayLength());

        // Affinity lists shared names per pair of members: its top size is capped lower than the other lists'.
        using var affinity = await browser.GetAsync("/api/household/stats/affinity?limit=101", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, affinity.StatusCode);
        Assert.True((await affinity.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task TheStatsCacheKeepsNoMoreBytesThanConfigured()
    {
        // A budget of 1 MB holds two 10,000-day timelines (0.4 MB of JSON each), not six.
        // New plays clear the cache, and so does a track's metadata stored by the background lookups: no polling during
        // the test, no lookups (one committed between an answer and the count emptied the cache on a loaded run), and
        // the demo's history import over before it starts.
        await using var app = new HostApplication(new Dictionary<string, string?>
        {
            ["Demo"] = "true",
            ["Metadata:RequestsPerMinute"] = "0",
            ["Stats:CacheBytesPerGrain"] = "1000000",
            ["Polling:ActiveInterval"] = "01:00:00",
            ["Polling:IdleMinInterval"] = "01:00:00",
            ["Polling:IdleMaxInterval"] = "01:00:00",
            ["Polling:HistoryIntervalWhileActive"] = "01:00:00",
            ["Polling:HistoryIntervalWhileIdle"] = "01:00:00",
        });
        using var browser = app.CreateBrowser();
        var me = await DemoSignIn.AsAsync(browser, "alex");
        await SignInTests.WaitForPlaysAsync(browser, me, expected: 1);
        var import = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<OrleansSpotify.Host.Demo.DemoHouseholdSignIn>().Single();
        await import.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<OrleansSpotify.Abstractions.IAccountStatsGrain>(me);

        foreach (var tz in new[] { "UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Pacific/Kiritimati" })
        {
            using var response = await browser.GetAsync($"/api/accounts/{me}/stats/timeline?from=1990-01-01&to=2017-05-18&tz={Uri.EscapeDataString(tz)}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.InRange(await grain.GetCachedAnswerCountAsync(), 1, 2);
        }
    }

    private static async Task AssertAnswerAsync(HttpClient browser, string path, bool tooManyBuckets)
    {
        using var response = await browser.GetAsync(path, Ct);
        if (response.StatusCode != (tooManyBuckets ? HttpStatusCode.BadRequest : HttpStatusCode.OK))
        {
            Assert.Fail($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }

        if (tooManyBuckets)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(["bucket"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }

        Assert.InRange(response.Content.Headers.ContentLength ?? (await response.Content.ReadAsByteArrayAsync(Ct)).LongLength, 0, MaxAnswerBytes);
    }
}
