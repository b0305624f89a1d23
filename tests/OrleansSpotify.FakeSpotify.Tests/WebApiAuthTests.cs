using System.Net;

namespace OrleansSpotify.FakeSpotify.Tests;

public sealed class WebApiAuthTests
{
    [Fact]
    public async Task MissingAndUnknownTokensGet401WithSpotifysChallenge()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();

        using var missing = await fake.GetAsync("v1/me", null);
        using var unknown = await fake.GetAsync("v1/me", "BQ-unknown");

        await AssertUnauthorizedAsync(missing, "No token provided");
        await AssertUnauthorizedAsync(unknown, "Invalid access token");
    }

    [Fact]
    public async Task AccessTokensExpireAfterAnHourByTheClock()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();

        fake.Advance(TimeSpan.FromMinutes(59));
        using var fresh = await fake.GetAsync("v1/me", grant.AccessToken);
        fake.Advance(TimeSpan.FromMinutes(1));
        using var expired = await fake.GetAsync("v1/me", grant.AccessToken);

        Assert.Equal(3600, grant.ExpiresInSeconds);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        await AssertUnauthorizedAsync(expired, "The access token expired");
        Assert.Equal("alex", fake.Server.Requests[^1].UserId);
    }

    [Fact]
    public async Task ExpireAccessTokensExpiresEveryOutstandingTokenButRefreshStillWorks()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.ExpireAccessTokens();

        using var expired = await fake.GetAsync("v1/me", grant.AccessToken);
        var (_, refreshed) = await fake.RefreshAsync(grant.RefreshToken);
        var (status, _) = await fake.GetJsonAsync("v1/me", (string)refreshed["access_token"]!);

        await AssertUnauthorizedAsync(expired, "The access token expired");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task NonBearerAuthorizationIsABadRequest()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/me");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic Zm9vOmJhcg==");

        using var response = await fake.Http.SendAsync(request, FakeSpotifyHarness.Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TheProfileHasAccountIdButNoPrivateFields()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser("robin", "acc-robin");
        fake.Server.AddUser("legacy", "Legacy");

        var (_, me) = await fake.GetJsonAsync("v1/me", grant.AccessToken);
        var (_, legacy) = await fake.GetJsonAsync("v1/me", fake.Server.IssueGrant("legacy").AccessToken);

        var profile = me!.AsObject();
        Assert.Equal("robin", (string?)profile["id"]);
        Assert.Equal("acc-robin", (string?)profile["account_id"]);
        Assert.Equal("Robin", (string?)profile["display_name"]);
        Assert.Equal("user", (string?)profile["type"]);
        Assert.Equal("spotify:user:robin", (string?)profile["uri"]);
        Assert.Equal("https://open.spotify.com/user/robin", (string?)profile["external_urls"]!["spotify"]);
        Assert.Equal(fake.Server.ApiBaseUrl + "users/robin", (string?)profile["href"]);
        Assert.Empty(profile["images"]!.AsArray());
        Assert.False(profile.ContainsKey("email"));
        Assert.False(profile.ContainsKey("country"));
        Assert.False(profile.ContainsKey("product"));
        Assert.False(legacy!.AsObject().ContainsKey("account_id"));
    }

    [Fact]
    public async Task DevModeForbiddenAnswersCarrySpotifysTexts()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (alex, alexGrant) = fake.AddSignedInUser("alex");
        var (sam, samGrant) = fake.AddSignedInUser("sam");
        alex.NotAllowlisted = true;
        sam.PremiumOwnerMissing = true;

        var (alexStatus, alexBody) = await fake.GetJsonAsync("v1/me/player/currently-playing", alexGrant.AccessToken);
        var (samStatus, samBody) = await fake.GetJsonAsync("v1/me", samGrant.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, alexStatus);
        Assert.Equal(403, (int)alexBody!["error"]!["status"]!);
        Assert.Equal("User not registered in the Developer Dashboard", (string?)alexBody["error"]!["message"]);
        Assert.Equal(HttpStatusCode.Forbidden, samStatus);
        Assert.StartsWith("Active premium subscription required for the owner of the app.", (string?)samBody!["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlayerEndpointsNeedTheirScopes()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        fake.Server.AddUser("alex", "Alex");
        var narrow = fake.Server.IssueGrant("alex", "user-read-currently-playing");

        var (current, _) = await fake.GetJsonAsync("v1/me/player/currently-playing", narrow.AccessToken);
        var (history, body) = await fake.GetJsonAsync("v1/me/player/recently-played", narrow.AccessToken);
        var (player, _) = await fake.GetJsonAsync("v1/me/player", narrow.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, current);
        Assert.Equal(HttpStatusCode.Forbidden, history);
        Assert.Equal("Insufficient client scope", (string?)body!["error"]!["message"]);
        Assert.Equal(HttpStatusCode.Forbidden, player);
    }

    [Fact]
    public async Task RemovedBatchEndpointsAnswer403AndUnknownPaths404()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();

        var (artists, artistsBody) = await fake.GetJsonAsync("v1/artists?ids=0OdUWJ0sBjDrqHygGUXeCF,3TVXtAsR1Inumwj472S9r4", grant.AccessToken);
        var (tracks, _) = await fake.GetJsonAsync("v1/tracks?ids=4iV5W9uYEdYUVa79Axb7Rh", grant.AccessToken);
        var (unknown, unknownBody) = await fake.GetJsonAsync("v1/recommendations?seed_genres=pop", grant.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, artists);
        Assert.Equal("Forbidden", (string?)artistsBody!["error"]!["message"]);
        Assert.Equal(HttpStatusCode.Forbidden, tracks);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("Service not found", (string?)unknownBody!["error"]!["message"]);
        Assert.Equal("batch", fake.Server.Requests[0].Endpoint);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal($"Bearer realm=\"spotify\", error=\"invalid_token\", error_description=\"{message}\"", challenge.ToString());
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation))!;
        Assert.Equal(401, (int)body["error"]!["status"]!);
        Assert.Equal(message, (string?)body["error"]!["message"]);
    }
}
