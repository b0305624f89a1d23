using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace OrleansSpotify.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class StatsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] AccountStats =
        ["summary", "top-tracks", "top-artists", "top-albums", "heatmap", "timeline", "streaks", "discoveries", "sessions", "year-review", "genres", "podcasts"];

    private static readonly string[] HouseholdStats =
        ["summary", "top-tracks", "top-artists", "top-albums", "heatmap", "timeline", "leaderboard", "affinity"];

    [Fact]
    public async Task ImportedEpisodesAreSummarisedApartAndShortPlaysAreSkips()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();
        var me = await DemoSignIn.AsAsync(browser, "alex");
        await SignInTests.WaitForPlaysAsync(browser, me, expected: 1);
        var before = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/summary", Ct);

        var at = new DateTimeOffset(2020, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var storage = app.Services.GetRequiredService<IGrainFactory>().GetGrain<Abstractions.IStorageGrain>(Abstractions.Constants.StorageGrainKey);
        var result = await storage.ImportAsync(me, Abstractions.ImportFormat.ExtendedHistory,
        [
            new(0, Abstractions.ImportedKind.Episode, at, 1_200_000, "spotify:episode:api-e1", "Pilot", "A Show", "A Show", null, null),
            new(1, Abstractions.ImportedKind.Track, at.AddMinutes(30), 5_000, "spotify:track:api-skip", "Skipped", "Someone", "Record", null, null),
        ]);
        Assert.Equal(2, result.Imported);

        var podcasts = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/podcasts?from=2020-01-01&to=2020-12-31", Ct);
        Assert.Equal(1, podcasts.GetProperty("episodes").GetProperty("plays").GetInt64());
        Assert.Equal(1_200_000, podcasts.GetProperty("episodes").GetProperty("ms").GetInt64());
        Assert.Equal("A Show", podcasts.GetProperty("topShows")[0].GetProperty("name").GetString());
        Assert.Equal(0, podcasts.GetProperty("audiobooks").GetProperty("plays").GetInt64());

        var after = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/summary", Ct);
        Assert.Equal(before.GetProperty("plays").GetInt64(), after.GetProperty("plays").GetInt64());
        Assert.Equal(before.GetProperty("skips").GetInt64() + 1, after.GetProperty("skips").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/api/accounts/nobody/stats/podcasts", Ct)).StatusCode);
    }

    [Fact]
    public async Task EveryStatAnswersForAnAccountAndTheHouseholdAndBadParametersAreNamed()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();
        var me = await DemoSignIn.AsAsync(browser, "alex");
        await SignInTests.WaitForPlaysAsync(browser, me, expected: 1);

        foreach (var stat in AccountStats)
        {
            foreach (var query in new[] { "", "?range=4w&tz=Europe/Berlin", "?from=2026-01-01&to=2026-12-31&limit=3&by=time&bucket=month&gap=30" })
            {
                var response = await browser.GetAsync($"/api/accounts/{me}/stats/{stat}{query}", Ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{stat}{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            }
        }

        foreach (var stat in HouseholdStats)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/household/stats/{stat}?range=1y", Ct)).StatusCode);
        }

        var summary = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/summary", Ct);
        Assert.True(summary.GetProperty("plays").GetInt64() > 0);
        // Demo mode imports history with ms played; only recently-played's plays are estimated from the duration.
        Assert.InRange(summary.GetProperty("time").GetProperty("estimatedMs").GetInt64(), 0, summary.GetProperty("time").GetProperty("totalMs").GetInt64());
        var top = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/stats/top-artists?limit=2&by=time", Ct);
        Assert.Equal("artists", top.GetProperty("kind").GetString());
        Assert.Equal("time", top.GetProperty("by").GetString());
        Assert.True(top.GetProperty("items").GetArrayLength() <= 2);

        var cases = new (string Query, string Parameter)[]
        {
            ("from=2026-11-25&to=2026-11-01", "from"),
            ("tz=Mars/Olympus_Mons", "tz"),
            ("limit=0", "limit"),
            ("limit=501", "limit"),
            ("bucket=hour", "bucket"),
            ("by=skips", "by"),
            ("range=2w", "range"),
            ("from=yesterday", "from"),
            ("range=4w&from=2026-01-01", "range"),
            ("year=99", "year"),
            ("gap=0", "gap"),
        };
        foreach (var (query, parameter) in cases)
        {
            var response = await browser.GetAsync($"/api/accounts/{me}/stats/summary?{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"{query} should name '{parameter}': {problem}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/api/accounts/nobody/stats/summary", Ct)).StatusCode);
    }

    [Fact]
    public async Task APrivateMembersStatsAreHiddenFromTheOtherMembersAndFromTheHousehold()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var alex = app.CreateBrowser();
        using var sam = app.CreateBrowser();
        var alexId = await DemoSignIn.AsAsync(alex, "alex");
        var samId = await DemoSignIn.AsAsync(sam, "sam");
        await SignInTests.WaitForPlaysAsync(alex, alexId, expected: 1);

        var put = await alex.PutAsJsonAsync("/api/me/sharing", new { shareWithHousehold = false }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await alex.GetAsync($"/api/accounts/{alexId}/stats/summary", Ct)).StatusCode);
        var hidden = await sam.GetAsync($"/api/accounts/{alexId}/stats/top-tracks", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync($"/api/accounts/{samId}/stats/summary", Ct)).StatusCode);

        var board = await sam.GetFromJsonAsync<JsonElement>("/api/household/stats/leaderboard", Ct);
        Assert.DoesNotContain(board.GetProperty("members").EnumerateArray(), m => m.GetProperty("accountId").GetString() == alexId);
        var pairs = await sam.GetFromJsonAsync<JsonElement>("/api/household/stats/affinity", Ct);
        Assert.DoesNotContain(pairs.GetProperty("pairs").EnumerateArray(), p => p.GetProperty("accountA").GetString() == alexId || p.GetProperty("accountB").GetString() == alexId);

        // Who contributed to the household's tops: the sharing members, never the private one.
        foreach (var kind in new[] { "top-tracks", "top-artists", "top-albums" })
        {
            var top = await sam.GetFromJsonAsync<JsonElement>($"/api/household/stats/{kind}?limit=50", Ct);
            var contributors = top.GetProperty("items").EnumerateArray()
                .SelectMany(i => i.GetProperty("contributors").EnumerateArray())
                .Select(c => c.GetProperty("accountId").GetString())
                .ToHashSet();
            Assert.Contains(samId, contributors);
            Assert.DoesNotContain(alexId, contributors);
        }

        // Alex still sees Alex's own part when sharing again.
        Assert.Equal(HttpStatusCode.OK, (await alex.PutAsJsonAsync("/api/me/sharing", new { shareStats = true }, Ct)).StatusCode);
        var shared = await sam.GetFromJsonAsync<JsonElement>("/api/household/stats/top-artists?limit=50", Ct);
        Assert.Contains(shared.GetProperty("items").EnumerateArray().SelectMany(i => i.GetProperty("contributors").EnumerateArray()), c => c.GetProperty("accountId").GetString() == alexId);
    }

    [Fact]
    public async Task StatsDefaultToTheMembersTimeZone()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();
        var me = await DemoSignIn.AsAsync(browser, "robin");
        await SignInTests.WaitForPlaysAsync(browser, me, expected: 1);

        // The demo imports months of history in the background and then keeps polling: compare answers over a range
        // that is complete once the import has finished (everything before the live timeline), so no play lands
        // between two reads.
        var import = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<OrleansSpotify.Host.Demo.DemoHouseholdSignIn>().Single();
        await import.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        var liveFrom = app.Services.GetRequiredService<OrleansSpotify.Host.Demo.DemoSpotify>().LiveFrom;
        var range = "to=" + Uri.EscapeDataString(liveFrom.AddHours(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var utc = await browser.GetStringAsync($"/api/accounts/{me}/stats/heatmap?{range}", Ct);
        var tokyo = await browser.GetStringAsync($"/api/accounts/{me}/stats/heatmap?{range}&tz=Asia/Tokyo", Ct);
        Assert.NotEqual(utc, tokyo);

        var bad = await browser.PutAsJsonAsync("/api/me/time-zone", new { timeZone = "Atlantis/Capital" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("timeZone", out _));

        Assert.Equal(HttpStatusCode.OK, (await browser.PutAsJsonAsync("/api/me/time-zone", new { timeZone = "Asia/Tokyo" }, Ct)).StatusCode);
        Assert.Equal(tokyo, await browser.GetStringAsync($"/api/accounts/{me}/stats/heatmap?{range}", Ct));
        Assert.Equal(utc, await browser.GetStringAsync($"/api/accounts/{me}/stats/heatmap?{range}&tz=UTC", Ct));
    }

    [Fact]
    public async Task TheOpenApiDocumentListsEveryApiEndpoint()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var client = app.CreateBrowser();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();

        Assert.NotEmpty(mapped);
        Assert.Equal(mapped.Order(), documented.Order());
        foreach (var stat in AccountStats)
        {
            Assert.Contains($"GET /api/accounts/{{id}}/stats/{stat}", documented);
        }

        string[] live =
        [
            "GET /api/household/now-playing", "GET /api/household/plays", "GET /api/accounts/{id}/plays",
            "GET /api/me/share-tokens", "POST /api/me/share-tokens", "DELETE /api/me/share-tokens/{id}", "GET /api/embed/{token}",
        ];
        Assert.All(live, endpoint => Assert.Contains(endpoint, documented));
        Assert.DoesNotContain(documented, e => e.Contains("/embed/now-playing", StringComparison.Ordinal) || e.Contains("/hubs/", StringComparison.Ordinal));
        var plays = document.GetProperty("paths").GetProperty("/api/accounts/{id}/plays").GetProperty("get").GetProperty("parameters");
        Assert.Contains(plays.EnumerateArray(), p => p.GetProperty("name").GetString() == "q");
    }
}

internal static class DemoSignIn
{
    /// <summary>Signs the browser in as a demo member through the fake Spotify's account chooser; returns the account id.</summary>
    public static async Task<string> AsAsync(HttpClient browser, string user)
    {
        var ct = TestContext.Current.CancellationToken;
        using var outside = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        // In demo mode the chooser page is served by the Host itself (a relative /demo/spotify/authorize); with a
        // fake Spotify of the test's own, it is that server's page.
        var location = (await browser.GetAsync("/auth/login", ct)).Headers.Location!;
        var spotify = location.IsAbsoluteUri ? outside : browser;
        var authorize = location.IsAbsoluteUri ? location : new Uri(browser.BaseAddress!, location);
        var chooser = await spotify.GetStringAsync(authorize, ct);
        var link = System.Text.RegularExpressions.Regex.Match(chooser, $"href=\"([^\"]*fake_user={user})\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        var callback = (await spotify.GetAsync(new Uri(authorize, link), ct)).Headers.Location!;
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callback.PathAndQuery, ct)).StatusCode);
        return (await browser.GetFromJsonAsync<JsonElement>("/api/me", ct)).GetProperty("id").GetString()!;
    }
}
