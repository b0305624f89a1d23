using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// Cookie-carrying state changes from another site are refused (403 problem details, nothing changed); this site's
/// own pages, and clients that are no browser (no Origin, no Sec-Fetch-Site), go through.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CrossSiteRequestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string OwnOrigin = "http://127.0.0.1";

    [Fact]
    public async Task StateChangesFromAnotherSiteAreRefusedAndChangeNothing()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        await using var app = new HostApplication(SignInTests.SpotifySettings(spotify));
        using var browser = app.CreateBrowser();
        await DemoSignIn.AsAsync(browser, "alex");

        // Another site's page (its Origin, or the browser's own Sec-Fetch-Site verdict), a sibling host on the same
        // site, an opaque origin: 403, and the member's sharing is unchanged.
        var refusals = new (string Header, string Value)[]
        {
            ("Origin", "https://evil.example"),
            ("Origin", "http://127.0.0.1:8080"),
            ("Origin", "https://127.0.0.1"),
            ("Origin", "null"),
            ("Sec-Fetch-Site", "cross-site"),
            ("Sec-Fetch-Site", "same-site"),
        };
        foreach (var (header, value) in refusals)
        {
            var refused = await browser.SendAsync(Json(HttpMethod.Put, "/api/me/sharing", new { shareStats = false }, (header, value)), Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{header}: {value} -> {(int)refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("Cross-site request refused", problem.GetProperty("title").GetString());
            Assert.True(await SharesAsync(browser));
        }

        // This site's own origin passes; so does the browser's own same-origin verdict, which decides when present
        // (even if a proxy that forwards no headers made the Origin look foreign).
        var sameOrigin = await browser.SendAsync(Json(HttpMethod.Put, "/api/me/sharing", new { shareStats = false }, ("Origin", OwnOrigin)), Ct);
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
        Assert.False(await SharesAsync(browser));
        var fetchMetadata = await browser.SendAsync(Json(HttpMethod.Put, "/api/me/sharing", new { shareStats = true }, ("Sec-Fetch-Site", "same-origin"), ("Origin", "https://music.example.lan")), Ct);
        Assert.Equal(HttpStatusCode.OK, fetchMetadata.StatusCode);
        Assert.True(await SharesAsync(browser));

        // No Origin and no Sec-Fetch-Site: not a browser's cross-site request (curl, a script on the server).
        var plain = await browser.SendAsync(Json(HttpMethod.Put, "/api/me/time-zone", new { timeZone = "Europe/Berlin" }), Ct);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);

        // Share tokens: creating and revoking from another site are refused too.
        var evilCreate = await browser.SendAsync(Json(HttpMethod.Post, "/api/me/share-tokens", new { label = "Blog", includeRecent = false }, ("Origin", "https://evil.example")), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, evilCreate.StatusCode);
        Assert.Empty((await browser.GetFromJsonAsync<JsonElement[]>("/api/me/share-tokens", Ct))!);
        var created = await browser.SendAsync(Json(HttpMethod.Post, "/api/me/share-tokens", new { label = "Blog", includeRecent = false }, ("Origin", OwnOrigin)), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        var evilRevoke = new HttpRequestMessage(HttpMethod.Delete, "/api/me/share-tokens/" + id);
        evilRevoke.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(evilRevoke, Ct)).StatusCode);
        Assert.Single((await browser.GetFromJsonAsync<JsonElement[]>("/api/me/share-tokens", Ct))!);

        // Without a cookie there is no sign-in to abuse: the request is judged as any other (401 here, not 403).
        using var stranger = app.CreateBrowser();
        var anonymous = await stranger.SendAsync(Json(HttpMethod.Put, "/api/me/sharing", new { shareStats = false }, ("Origin", "https://evil.example")), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // Sign-out from another site is refused: still signed in. From this site it signs out.
        var evilLogout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        evilLogout.Headers.Add("Origin", "https://evil.example");
        evilLogout.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(evilLogout, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me", Ct)).StatusCode);
        var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        logout.Headers.Add("Origin", OwnOrigin);
        logout.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SendAsync(logout, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me", Ct)).StatusCode);
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, object body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static async Task<bool> SharesAsync(HttpClient browser) =>
        (await browser.GetFromJsonAsync<JsonElement[]>("/api/accounts", Ct))!.Single(a => a.GetProperty("id").GetString() == "acc-alex").GetProperty("shareStats").GetBoolean();
}
