using System.Text;
using System.Web;
using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

public sealed class AccountsClientTests
{
    private const string TokenPath = "/api/token";
    private static readonly string[] Scopes = ["user-read-currently-playing", "user-read-recently-played"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Authorize_uri_carries_the_PKCE_sign_in_parameters()
    {
        await using var harness = await SpotifyHarness.StartAsync();

        var uri = harness.Accounts.BuildAuthorizeUri("state-123", "challenge-abc", Scopes);

        Assert.Equal(new Uri(harness.Server.BaseUri, "authorize").GetLeftPart(UriPartial.Path), uri.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal(SpotifyHarness.ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(SpotifyHarness.RedirectUri.OriginalString, query["redirect_uri"]);
        Assert.Equal("state-123", query["state"]);
        Assert.Equal("user-read-currently-playing user-read-recently-played", query["scope"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("challenge-abc", query["code_challenge"]);
        Assert.Null(query["show_dialog"]);
        Assert.Contains("scope=user-read-currently-playing%20user-read-recently-played", uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A5080%2Fauth%2Fcallback", uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_uri_asks_for_the_dialog_only_when_told()
    {
        await using var harness = await SpotifyHarness.StartAsync();

        var uri = harness.Accounts.BuildAuthorizeUri("s", "c", Scopes, showDialog: true);

        Assert.Equal("true", HttpUtility.ParseQueryString(uri.Query)["show_dialog"]);
    }

    [Fact]
    public async Task Public_client_exchanges_a_code_with_client_id_in_the_body_and_no_authorization_header()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-1", "refresh-1"));

        var tokens = await harness.Accounts.ExchangeCodeAsync("the-code", "the-verifier", Ct);

        Assert.Equal(new SpotifyTokens("access-1", SpotifyHarness.Start.AddHours(1), "refresh-1", "user-read-currently-playing user-read-recently-played"), tokens);
        var request = Assert.Single(harness.Server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(TokenPath, request.Path);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Null(request.Header("Authorization"));
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = "the-code",
                ["redirect_uri"] = SpotifyHarness.RedirectUri.OriginalString,
                ["code_verifier"] = "the-verifier",
                ["client_id"] = SpotifyHarness.ClientId,
            },
            request.Form());
    }

    [Fact]
    public async Task A_redirect_uri_given_per_sign_in_replaces_the_configured_one_in_authorize_and_exchange()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-1", "refresh-1"));
        var own = new Uri("http://192.168.1.20:8080/music/auth/callback");

        var uri = harness.Accounts.BuildAuthorizeUri("s", "c", Scopes, own);
        await harness.Accounts.ExchangeCodeAsync("the-code", "the-verifier", own, Ct);

        Assert.Equal(own.OriginalString, HttpUtility.ParseQueryString(uri.Query)["redirect_uri"]);
        Assert.Equal(own.OriginalString, Assert.Single(harness.Server.Requests).Form()["redirect_uri"]);
    }

    [Fact]
    public async Task Confidential_client_uses_basic_auth_and_leaves_client_id_out_of_the_body()
    {
        await using var harness = await SpotifyHarness.StartAsync(o => o.ClientSecret = "s3cret");
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-1", "refresh-1"));

        await harness.Accounts.ExchangeCodeAsync("the-code", "the-verifier", Ct);

        var request = Assert.Single(harness.Server.Requests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SpotifyHarness.ClientId}:s3cret")), request.Header("Authorization"));
        var form = request.Form();
        Assert.False(form.ContainsKey("client_id"));
        Assert.Equal("authorization_code", form["grant_type"]);
        Assert.Equal("the-verifier", form["code_verifier"]);
    }

    [Fact]
    public async Task Refresh_keeps_the_rotated_refresh_token()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-2", "refresh-2", expiresIn: 1800));

        var tokens = await harness.Accounts.RefreshAsync("refresh-1", Ct);

        Assert.Equal("access-2", tokens.AccessToken);
        Assert.Equal("refresh-2", tokens.RefreshToken);
        Assert.Equal(SpotifyHarness.Start.AddMinutes(30), tokens.ExpiresAt);
        Assert.Equal(
            new Dictionary<string, string?> { ["grant_type"] = "refresh_token", ["refresh_token"] = "refresh-1", ["client_id"] = SpotifyHarness.ClientId },
            Assert.Single(harness.Server.Requests).Form());
    }

    [Fact]
    public async Task Refresh_without_a_refresh_token_in_the_response_keeps_the_old_one()
    {
        await using var harness = await SpotifyHarness.StartAsync(o => o.ClientSecret = "s3cret");
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-2", refreshToken: null));

        var tokens = await harness.Accounts.RefreshAsync("refresh-1", Ct);

        Assert.Equal("access-2", tokens.AccessToken);
        Assert.Equal("refresh-1", tokens.RefreshToken);
        var request = Assert.Single(harness.Server.Requests);
        Assert.StartsWith("Basic ", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.False(request.Form().ContainsKey("client_id"));
    }

    [Theory]
    [InlineData("Refresh token revoked")]
    [InlineData("Invalid refresh token")]
    public async Task Invalid_grant_is_reported_and_not_retried(string description)
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.TokenError("invalid_grant", description));

        var error = await Assert.ThrowsAsync<SpotifyInvalidGrantException>(() => harness.Accounts.RefreshAsync("refresh-1", Ct));

        Assert.Equal(description, error.Description);
        Assert.Equal(400, error.StatusCode);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task Invalid_authorization_code_is_an_invalid_grant()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.TokenError("invalid_grant", "Invalid authorization code"));

        var error = await Assert.ThrowsAsync<SpotifyInvalidGrantException>(() => harness.Accounts.ExchangeCodeAsync("stale", "verifier", Ct));

        Assert.Equal("Invalid authorization code", error.Description);
    }

    [Fact]
    public async Task Other_token_errors_are_plain_spotify_exceptions()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.TokenError("invalid_client", "Invalid client secret", status: 401));

        var error = await Assert.ThrowsAsync<SpotifyException>(() => harness.Accounts.RefreshAsync("refresh-1", Ct));

        Assert.Equal(typeof(SpotifyException), error.GetType());
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("invalid_client: Invalid client secret", error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task Token_endpoint_5xx_is_retried()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.Empty(503), CannedResponse.Token("access-2", "refresh-2"));

        var tokens = await harness.Accounts.RefreshAsync("refresh-1", Ct);

        Assert.Equal("access-2", tokens.AccessToken);
        Assert.Equal(2, harness.Server.Requests.Count);
        Assert.All(harness.Server.Requests, r => Assert.Equal("refresh-1", r.Form()["refresh_token"]));
    }

    [Fact]
    public async Task Token_endpoint_5xx_burst_becomes_a_transient_failure()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        var gateway = CannedResponse.Text(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
        harness.Server.Enqueue(TokenPath, gateway, gateway, gateway);

        var error = await Assert.ThrowsAsync<SpotifyTransientException>(() => harness.Accounts.RefreshAsync("refresh-1", Ct));

        Assert.Equal(502, error.StatusCode);
        Assert.Equal(3, harness.Server.Requests.Count);
    }

    [Fact]
    public async Task Token_response_without_an_access_token_is_transient()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.Json(200, """{"token_type":"Bearer"}"""));

        await Assert.ThrowsAsync<SpotifyTransientException>(() => harness.Accounts.RefreshAsync("refresh-1", Ct));
    }

    [Fact]
    public async Task Code_exchange_without_a_refresh_token_is_refused()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-1", refreshToken: null));

        var error = await Assert.ThrowsAsync<SpotifyException>(() => harness.Accounts.ExchangeCodeAsync("code", "verifier", Ct));

        Assert.Contains("no refresh token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_endpoint_429_is_reported_without_closing_the_web_api_gate()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.TokenError("rate_limited", "slow down", status: 429) with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "30" },
        });
        harness.Server.Enqueue("/v1/me", CannedResponse.Fixture("me.json"));

        var error = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Accounts.RefreshAsync("refresh-1", Ct));
        var profile = await harness.Api.GetMeAsync("access-1", Ct);

        Assert.True(error.Sent);
        Assert.Equal(SpotifyHarness.Start.AddSeconds(30), error.RetryAt);
        Assert.Equal("alice", profile.Id);
    }
}
