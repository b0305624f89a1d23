using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// <c>GET /api/spotify/usage</c> on the real Host against the fake Spotify over HTTP: the sign-in's calls and every
/// listener call counted by account, endpoint and outcome; members only; a private member's rows theirs alone; the
/// range validated; and a <c>QUOTA_EXCEEDED</c> pause shown as "resumes at" in <c>/api/accounts</c> and
/// <c>/readyz</c>, which stays 200.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class SpotifyUsageApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UsageCountsTheSignInAndThePollsPerAccountAndFoldsAPrivateMembersRowsForOthers()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        spotify.AddUser("robin", "Robin", accountId: "acc-robin");
        await using var app = new HostApplication(LiveTests.FastPolling(spotify));
        using var alex = app.CreateBrowser();
        using var robin = app.CreateBrowser();
        using var stranger = app.CreateBrowser();
        await DemoSignIn.AsAsync(alex, "alex");
        await DemoSignIn.AsAsync(robin, "robin");
        Assert.Equal(HttpStatusCode.OK, (await robin.PutAsJsonAsync("/api/me/sharing", new { shareStats = false }, Ct)).StatusCode);
        await spotify.WaitForAsync(r => r.UserId == "robin" && r.Endpoint == "currently-playing", 2, TimeSpan.FromSeconds(30), "robin's polls");

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var usage = await alex.GetFromJsonAsync<JsonElement>("/api/spotify/usage", Ct);
        Assert.Equal(today.AddDays(-6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), usage.GetProperty("from").GetString());
        Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), usage.GetProperty("to").GetString());
        var rows = Rows(usage);

        // Each sign-in exchanged a code and asked /me, before any account existed.
        Assert.Equal(2, Count(rows, "(sign-in)", "token", "ok"));
        Assert.Equal(2, Count(rows, "(sign-in)", "me", "ok"));
        Assert.DoesNotContain(rows, r => r.Account == "(sign-in)" && r.CountsAgainstBudget != (r.Endpoint != "token"));

        // Alex sees their own polls under their id and name, Robin's only folded into (private).
        Assert.True(Count(rows, "acc-alex", "currently-playing", "no-content") >= 1);
        Assert.Contains(rows, r => r.Account == "acc-alex" && r.DisplayName == "Alex");
        Assert.DoesNotContain(rows, r => r.Account == "acc-robin");
        Assert.True(Count(rows, "(private)", "currently-playing", "no-content") >= 2);
        Assert.Equal(rows.Where(r => r.CountsAgainstBudget).Sum(r => r.Count), usage.GetProperty("webApiCalls").GetInt64());
        Assert.Equal(rows.Where(r => !r.CountsAgainstBudget).Sum(r => r.Count), usage.GetProperty("tokenCalls").GetInt64());

        var budget = usage.GetProperty("budget");
        Assert.Equal(2_000, budget.GetProperty("limit").GetInt32());
        Assert.Equal(86_400, budget.GetProperty("windowSeconds").GetInt64());
        Assert.InRange(budget.GetProperty("used").GetInt32(), 6, usage.GetProperty("webApiCalls").GetInt64());
        Assert.False(budget.GetProperty("exhausted").GetBoolean());
        Assert.True(budget.GetProperty("pace").GetDouble() >= 1);
        Assert.Equal(JsonValueKind.Null, budget.GetProperty("resumesAt").ValueKind);

        // Robin sees their own rows under their id.
        var robinRows = Rows(await robin.GetFromJsonAsync<JsonElement>("/api/spotify/usage", Ct));
        Assert.True(Count(robinRows, "acc-robin", "currently-playing", "no-content") >= 2);
        Assert.DoesNotContain(robinRows, r => r.Account == "(private)");

        // Members only: signed out, or with a share token, 401 problem details.
        var signedOut = await stranger.GetAsync("/api/spotify/usage", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, signedOut.StatusCode);
        var share = (await LiveTests.CreateTokenAsync(alex, "Blog", includeRecent: true)).GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/spotify/usage?share=" + Uri.EscapeDataString(share), Ct)).StatusCode);
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2026-11-20T00:00:00Z", "from")]
    [InlineData("from=2026-11-21&to=2026-11-20", "from")]
    [InlineData("from=2026-01-01&to=2026-12-31", "to")]
    [InlineData("from=0001-01-01&to=9999-12-31", "to")]
    public async Task ABadOrHugeRangeIsA400NamingTheParameter(string query, string parameter)
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex");
        await using var app = new HostApplication(SignInTests.SpotifySettings(spotify));
        using var browser = app.CreateBrowser();
        await DemoSignIn.AsAsync(browser, "alex");

        var response = await browser.GetAsync("/api/spotify/usage?" + query, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Theory]
    [InlineData("from=9999-12-30", "9999-12-30", "9999-12-31")]
    [InlineData("to=0001-01-03", "0001-01-01", "0001-01-03")]
    [InlineData("from=2026-11-01&to=2026-11-01", "2026-11-01", "2026-11-01")]
    [InlineData("from=2026-11-01", "2026-11-01", "2026-11-07")]
    public async Task OneSideOfTheRangeGivesAWeekFromOrToIt(string query, string from, string to)
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex");
        await using var app = new HostApplication(SignInTests.SpotifySettings(spotify));
        using var browser = app.CreateBrowser();
        await DemoSignIn.AsAsync(browser, "alex");

        var usage = await browser.GetFromJsonAsync<JsonElement>("/api/spotify/usage?" + query, Ct);

        Assert.Equal((from, to), (usage.GetProperty("from").GetString(), usage.GetProperty("to").GetString()));
        Assert.Empty(Rows(usage));
    }

    [Fact]
    public async Task AQuotaExceededPauseShowsAsResumesAtInTheAccountsAndReadyzWhichStays200()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        spotify.AddUser("sam", "Sam", accountId: "acc-sam");
        await using var app = new HostApplication(LiveTests.FastPolling(spotify));
        using var browser = app.CreateBrowser();
        await DemoSignIn.AsAsync(browser, "alex");
        using var sam = app.CreateBrowser();
        await DemoSignIn.AsAsync(sam, "sam");
        var accounts = (await browser.GetFromJsonAsync<JsonElement[]>("/api/accounts", Ct))!;
        Assert.All(accounts, a => Assert.Equal(JsonValueKind.Null, a.GetProperty("resumesAt").ValueKind));

        spotify.Faults.RateLimitFor(TimeSpan.FromHours(2), quota: true);
        await spotify.WaitForAsync(r => r.StatusCode == 429, 1, TimeSpan.FromSeconds(30), "a poll answered QUOTA_EXCEEDED");
        var limited = spotify.Requests.First(r => r.StatusCode == 429);

        // The gate closes as the 429 arrives, a moment after the fake logged it: read until the list shows it.
        await OrleansSpotify.Testing.Eventually.UntilAsync(
            async () => (accounts = (await browser.GetFromJsonAsync<JsonElement[]>("/api/accounts", Ct))!).All(a => a.GetProperty("resumesAt").ValueKind == JsonValueKind.String),
            TimeSpan.FromSeconds(30),
            "/api/accounts to show the pause",
            Ct);
        foreach (var account in accounts)
        {
            Assert.InRange(account.GetProperty("resumesAt").GetDateTimeOffset(), limited.At.AddHours(2).AddSeconds(-2), limited.At.AddHours(2).AddSeconds(2));
            Assert.Equal("quota-exceeded", account.GetProperty("pauseReason").GetString());
        }

        var resumesAt = accounts[0].GetProperty("resumesAt").GetDateTimeOffset();
        var ready = await browser.GetAsync("/readyz", Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var check = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "spotify");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains("resumes at " + resumesAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(resumesAt, check.GetProperty("data").GetProperty("resumesAt").GetDateTimeOffset());
        Assert.Equal("quota-exceeded", check.GetProperty("data").GetProperty("pauseReason").GetString());

        // Nothing more is sent inside the pause; the usage shows the 429 and the pause.
        var sent = spotify.Requests.Count(r => r.Endpoint is not null and not "authorize" and not "token");
        var usage = await browser.GetFromJsonAsync<JsonElement>("/api/spotify/usage", Ct);
        Assert.Equal(resumesAt, usage.GetProperty("budget").GetProperty("resumesAt").GetDateTimeOffset());
        Assert.Equal("quota-exceeded", usage.GetProperty("budget").GetProperty("pauseReason").GetString());
        Assert.Equal(1, Rows(usage).Where(r => r.Outcome == "quota-exceeded").Sum(r => r.Count));
        Assert.Equal(sent, usage.GetProperty("webApiCalls").GetInt64());
    }

    private sealed record Row(string Day, string Account, string? DisplayName, string Endpoint, string Outcome, long Count, bool CountsAgainstBudget);

    private static List<Row> Rows(JsonElement usage) =>
        [.. usage.GetProperty("rows").EnumerateArray().Select(r => new Row(
            r.GetProperty("day").GetString()!,
            r.GetProperty("account").GetString()!,
            r.GetProperty("displayName").GetString(),
            r.GetProperty("endpoint").GetString()!,
            r.GetProperty("outcome").GetString()!,
            r.GetProperty("count").GetInt64(),
            r.GetProperty("countsAgainstBudget").GetBoolean()))];

    private static long Count(List<Row> rows, string account, string endpoint, string outcome) =>
        rows.Where(r => r.Account == account && r.Endpoint == endpoint && r.Outcome == outcome).Sum(r => r.Count);
}
