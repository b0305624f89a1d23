using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class ApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DemoModeSignsInAHouseholdOfThreeWhosePlaysArriveWithinAMinute()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();

        var info = await browser.GetFromJsonAsync<JsonElement>("/api/info", Ct);
        Assert.True(info.GetProperty("demo").GetBoolean());

        await DemoSignIn.AsAsync(browser, "alex");
        var accounts = await WaitForAccountsAsync(browser, 3);
        Assert.Equal(3, accounts.Count);

        var started = DateTime.UtcNow;
        var plays = await SignInTests.WaitForPlaysAsync(browser, accounts[0].GetProperty("id").GetString()!, expected: 1, seconds: 60);
        Assert.NotEmpty(plays);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task BadQueriesGetProblemDetailsNamingTheParameterAndUnknownAccountsGet404()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();
        await DemoSignIn.AsAsync(browser, "alex");
        var id = (await WaitForAccountsAsync(browser, 1))[0].GetProperty("id").GetString();

        var cases = new (string Query, string Parameter)[]
        {
            ("from=yesterday", "from"),
            ("to=2026-13-45", "to"),
            ("before=soon", "before"),
            ("limit=0", "limit"),
            ("limit=501", "limit"),
            ("limit=ten", "limit"),
            ("from=2026-11-25&to=2026-11-01", "from"),
        };
        foreach (var (query, parameter) in cases)
        {
            var response = await browser.GetAsync($"/api/accounts/{id}/plays?{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"{query} should name '{parameter}'");
        }

        foreach (var path in new[] { "/api/accounts/nobody/plays", "/api/accounts/nobody/now-playing" })
        {
            var response = await browser.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("Unknown account", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        }

        var ok = await browser.GetAsync($"/api/accounts/{id}/plays?from=2026-01-01&to=2030-01-01T00:00:00Z&limit=500", Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task HealthEndpointsReportAliveAndReady()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var client = app.CreateBrowser();

        Assert.Equal("Healthy", await client.GetStringAsync("/healthz", Ct));
        // Readiness is only told by /readyz itself (the checks run on request), so it is polled, bounded.
        HttpResponseMessage ready = null!;
        await OrleansSpotify.Testing.Eventually.UntilAsync(
            async () => (ready = await client.GetAsync("/readyz", Ct)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            "/readyz to answer 200",
            Ct);
        var report = await ready.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(["database", "silo", "spotify"], report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(report.GetProperty("checks").EnumerateArray(), c => Assert.Equal("Healthy", c.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task MissingSpotifyConfigurationFailsAtStartUpNamingTheKey()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Spotify:ClientId"] = "", ["Spotify:RedirectUri"] = "http://localhost:5080/auth/callback" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateBrowser());

        var message = error.ToString();
        Assert.Contains("Spotify__ClientId", message, StringComparison.Ordinal);
        Assert.Contains("Spotify__RedirectUri", message, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> WaitForAccountsAsync(HttpClient browser, int count)
    {
        List<JsonElement> accounts = [];
        await ListeningSignal.UntilAsync(
            async () =>
            {
                accounts = (await browser.GetFromJsonAsync<JsonElement>("/api/accounts", Ct)).EnumerateArray().ToList();
                return accounts.Count >= count;
            },
            $"{count} accounts");
        return accounts;
    }
}
