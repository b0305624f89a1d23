using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class SignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheOAuthRoundTripSignsAMemberInAndTheirPlaysAreReadableThroughTheApi()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions { AutoApproveUserId = "alex" }, TimeProvider.System, cancellationToken: Ct);
        var alex = spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        var catalog = FakeCatalog.Generate(seed: 3, trackCount: 40);
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        foreach (var (track, i) in catalog.Tracks.Take(5).Select((t, i) => (t, i)))
        {
            alex.AddPlay(new ScriptedPlay(start.AddMinutes(4 * i), track, track.Duration < TimeSpan.FromMinutes(4) ? track.Duration : TimeSpan.FromMinutes(3)));
        }

        await using var app = new HostApplication(SpotifySettings(spotify));
        using var browser = app.CreateBrowser();
        using var outside = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        // Not signed in: the API answers 401 (no redirect to a login page).
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/accounts", Ct)).StatusCode);

        // 1. /auth/login sends the browser to Spotify's authorize page with state and an S256 challenge.
        var login = await browser.GetAsync("/auth/login", Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var authorize = login.Headers.Location!;
        Assert.StartsWith(spotify.AccountsBaseUrl.AbsoluteUri + "authorize?", authorize.AbsoluteUri, StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("code", query["response_type"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Contains("user-read-recently-played", query["scope"], StringComparison.Ordinal);

        // 2. The (fake) authorize page approves and redirects back with a code and the same state.
        var approved = await outside.GetAsync(authorize, Ct);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var callback = approved.Headers.Location!;
        Assert.Equal("/auth/callback", callback.AbsolutePath);

        // 3. The callback exchanges the code (PKCE verifier checked by the fake), reads /me and signs the browser in.
        var signedIn = await browser.GetAsync(callback.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);

        var me = await browser.GetFromJsonAsync<JsonElement>("/api/me", Ct);
        Assert.Equal("acc-alex", me.GetProperty("id").GetString());

        // 4. The listener starts at once; its plays arrive in SQLite and are served newest first.
        var plays = await WaitForPlaysAsync(browser, "acc-alex", expected: 5);
        Assert.Equal(
            catalog.Tracks.Take(5).Select(t => t.Uri).Reverse(),
            plays.Select(p => p.GetProperty("track").GetProperty("uri").GetString()));

        var accounts = await browser.GetFromJsonAsync<JsonElement>("/api/accounts", Ct);
        var account = Assert.Single(accounts.EnumerateArray());
        Assert.Equal("active", account.GetProperty("status").GetString());
        Assert.Equal(5, account.GetProperty("playCount").GetInt64());
        Assert.Equal("Alex", account.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task ACallbackWhoseStateDoesNotMatchIsRejected()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions { AutoApproveUserId = "alex" }, TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex");
        await using var app = new HostApplication(SpotifySettings(spotify));
        using var browser = app.CreateBrowser();
        using var outside = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var authorize = (await browser.GetAsync("/auth/login", Ct)).Headers.Location!;
        var callback = (await outside.GetAsync(authorize, Ct)).Headers.Location!;
        var forged = callback.PathAndQuery.Replace("state=", "state=forged", StringComparison.Ordinal);

        var response = await browser.GetAsync(forged, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Sign-in state mismatch", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me", Ct)).StatusCode);
        Assert.DoesNotContain(spotify.Requests, r => r.Endpoint == "token");
    }

    [Fact]
    public async Task ACallbackWithoutASignInStartedHereIsRejected()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        await using var app = new HostApplication(SpotifySettings(spotify));
        using var browser = app.CreateBrowser();

        var response = await browser.GetAsync("/auth/callback?code=abc&state=xyz", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    internal static Dictionary<string, string?> SpotifySettings(FakeSpotifyServer spotify) => new()
    {
        ["Spotify:ClientId"] = spotify.Options.ClientId,
        ["Spotify:AccountsBaseUrl"] = spotify.AccountsBaseUrl.AbsoluteUri,
        ["Spotify:ApiBaseUrl"] = spotify.ApiBaseUrl.AbsoluteUri,
    };

    /// <summary>The account's plays once at least <paramref name="expected"/> are stored (re-read on each listening event).</summary>
    internal static async Task<List<JsonElement>> WaitForPlaysAsync(HttpClient browser, string accountId, int expected, int seconds = 30)
    {
        List<JsonElement> items = [];
        await ListeningSignal.UntilAsync(
            async () =>
            {
                var page = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{Uri.EscapeDataString(accountId)}/plays?limit=100", Ct);
                items = page.GetProperty("items").EnumerateArray().ToList();
                return items.Count >= expected;
            },
            $"{expected} plays of {accountId}",
            seconds);
        return items;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostCollection
{
    public const string Name = "Host";
}
