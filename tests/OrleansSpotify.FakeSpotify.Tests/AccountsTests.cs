using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace OrleansSpotify.FakeSpotify.Tests;

public sealed class AccountsTests
{
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-fake-verifier-0123456789";

    [Fact]
    public async Task PkceSignInExchangesTheCodeForTokensThatWork()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.AutoApproveUserId = "alex");
        fake.Server.AddUser("alex", "Alex", "acc-alex");

        var location = await AuthorizeAsync(fake, state: "xyz", scope: "user-read-currently-playing user-read-recently-played");
        Assert.StartsWith(FakeSpotifyHarness.RedirectUri + "?code=", location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("xyz", query["state"].ToString());

        var (status, body) = await ExchangeAsync(fake, query["code"].ToString(), Verifier);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Equal(3600, (int)body["expires_in"]!);
        Assert.Equal("user-read-currently-playing user-read-recently-played", (string?)body["scope"]);
        Assert.StartsWith("AQ", (string?)body["refresh_token"], StringComparison.Ordinal);
        var (meStatus, me) = await fake.GetJsonAsync("v1/me", (string?)body["access_token"]);
        Assert.Equal(HttpStatusCode.OK, meStatus);
        Assert.Equal("alex", (string?)me!["id"]);
    }

    [Fact]
    public async Task AWrongCodeVerifierIsRefusedAndSpendsTheCode()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.AutoApproveUserId = "alex");
        fake.Server.AddUser("alex", "Alex");
        var code = QueryHelpers.ParseQuery((await AuthorizeAsync(fake)).Query)["code"].ToString();

        var (status, body) = await ExchangeAsync(fake, code, Verifier + "-wrong");
        var (retryStatus, retry) = await ExchangeAsync(fake, code, Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", (string?)body["error"]);
        Assert.Equal("code_verifier was incorrect", (string?)body["error_description"]);
        Assert.Equal(HttpStatusCode.BadRequest, retryStatus);
        Assert.Equal("Invalid authorization code", (string?)retry["error_description"]);
    }

    [Fact]
    public async Task CodesAreSingleUseAndLiveTenMinutes()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.AutoApproveUserId = "alex");
        fake.Server.AddUser("alex", "Alex");
        var first = QueryHelpers.ParseQuery((await AuthorizeAsync(fake)).Query)["code"].ToString();
        var second = QueryHelpers.ParseQuery((await AuthorizeAsync(fake)).Query)["code"].ToString();

        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(fake, first, Verifier)).Status);
        var (reuseStatus, reuse) = await ExchangeAsync(fake, first, Verifier);
        fake.Advance(TimeSpan.FromMinutes(10));
        var (lateStatus, late) = await ExchangeAsync(fake, second, Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, reuseStatus);
        Assert.Equal("Invalid authorization code", (string?)reuse["error_description"]);
        Assert.Equal(HttpStatusCode.BadRequest, lateStatus);
        Assert.Equal("Invalid authorization code", (string?)late["error_description"]);
    }

    [Fact]
    public async Task TheCodeExchangeNeedsTheSameRedirectUri()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.AutoApproveUserId = "alex");
        fake.Server.AddUser("alex", "Alex");
        var code = QueryHelpers.ParseQuery((await AuthorizeAsync(fake)).Query)["code"].ToString();

        var (status, body) = await ExchangeAsync(fake, code, Verifier, redirectUri: "http://127.0.0.1:5080/other");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", (string?)body["error"]);
        Assert.Equal("Invalid redirect URI", (string?)body["error_description"]);
    }

    [Fact]
    public async Task PkceRefreshRotatesAndReusingTheOldTokenIsRevoked()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();

        var (status, refreshed) = await fake.RefreshAsync(grant.RefreshToken);
        var (reuseStatus, reuse) = await fake.RefreshAsync(grant.RefreshToken);
        var (nextStatus, _) = await fake.RefreshAsync((string)refreshed["refresh_token"]!);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(grant.RefreshToken, (string?)refreshed["refresh_token"]);
        Assert.NotEqual(grant.AccessToken, (string?)refreshed["access_token"]);
        Assert.Equal(HttpStatusCode.BadRequest, reuseStatus);
        Assert.Equal("invalid_grant", (string?)reuse["error"]);
        Assert.Equal("Refresh token revoked", (string?)reuse["error_description"]);
        Assert.Equal(HttpStatusCode.OK, nextStatus);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConfidentialRefreshReturnsARefreshTokenOnlyWhenConfigured(bool returnsRefreshToken)
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o =>
        {
            o.ClientSecret = "s3cret";
            o.ConfidentialRefreshReturnsRefreshToken = returnsRefreshToken;
        });
        fake.Server.AddUser("alex", "Alex");
        var grant = fake.Server.IssueGrant("alex", pkce: false);
        var basic = (fake.Server.Options.ClientId, "s3cret");

        var (status, body) = await fake.RefreshAsync(grant.RefreshToken, basic);
        var (againStatus, _) = await fake.RefreshAsync(grant.RefreshToken, basic);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(returnsRefreshToken, body.AsObject().ContainsKey("refresh_token"));
        Assert.Equal(returnsRefreshToken ? HttpStatusCode.BadRequest : HttpStatusCode.OK, againStatus);
    }

    [Fact]
    public async Task ConfidentialCodeExchangeWithBasicAuthNeedsNoPkce()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o =>
        {
            o.AutoApproveUserId = "alex";
            o.ClientSecret = "s3cret";
        });
        fake.Server.AddUser("alex", "Alex");
        var authorize = $"authorize?client_id={fake.Server.Options.ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(FakeSpotifyHarness.RedirectUri)}";
        using var redirect = await fake.GetAsync(authorize, null);
        var code = QueryHelpers.ParseQuery(redirect.Headers.Location!.Query)["code"].ToString();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = FakeSpotifyHarness.RedirectUri,
        };

        var (badStatus, bad) = await fake.PostTokenAsync(form, (fake.Server.Options.ClientId, "wrong"));
        var (status, body) = await fake.PostTokenAsync(form, (fake.Server.Options.ClientId, "s3cret"));

        Assert.Equal(HttpStatusCode.Unauthorized, badStatus);
        Assert.Equal("invalid_client", (string?)bad["error"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull((string?)body["refresh_token"]);
    }

    [Fact]
    public async Task RefreshTokensExpireSixMonthsAfterTheAuthorizationWhateverTheRefreshes()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();

        fake.Advance(TimeSpan.FromDays(100));
        var (midStatus, mid) = await fake.RefreshAsync(grant.RefreshToken);
        fake.Advance(TimeSpan.FromDays(82));
        var (lateStatus, late) = await fake.RefreshAsync((string)mid["refresh_token"]!);
        fake.Advance(TimeSpan.FromDays(1));
        var (expiredStatus, expired) = await fake.RefreshAsync((string)late["refresh_token"]!);

        Assert.Equal(HttpStatusCode.OK, midStatus);
        Assert.Equal(HttpStatusCode.OK, lateStatus);
        Assert.Equal(HttpStatusCode.BadRequest, expiredStatus);
        Assert.Equal("invalid_grant", (string?)expired["error"]);
        Assert.Equal(FakeSpotifyHarness.Start, grant.AuthorizedAt);
    }

    [Fact]
    public async Task RevokedAndUnknownRefreshTokensGetInvalidGrant()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.RevokeGrant();

        var (_, revoked) = await fake.RefreshAsync(grant.RefreshToken);
        var (_, unknown) = await fake.RefreshAsync("AQ-not-a-token");

        Assert.Equal("Refresh token revoked", (string?)revoked["error_description"]);
        Assert.Equal("Invalid refresh token", (string?)unknown["error_description"]);
    }

    [Fact]
    public async Task TheTokenEndpointRejectsUnknownClientsAndMissingGrantTypes()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();

        var (clientStatus, client) = await fake.PostTokenAsync([new("grant_type", "refresh_token"), new("client_id", "someone-else")]);
        var (grantStatus, grant) = await fake.PostTokenAsync([new("client_id", fake.Server.Options.ClientId)]);

        Assert.Equal(HttpStatusCode.Unauthorized, clientStatus);
        Assert.Equal("invalid_client", (string?)client["error"]);
        Assert.Equal(HttpStatusCode.BadRequest, grantStatus);
        Assert.Equal("unsupported_grant_type", (string?)grant["error"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/auth/callback", true)]
    [InlineData("http://[::1]:5080/auth/callback", true)]
    [InlineData("https://music.example.org/auth/callback", true)]
    [InlineData("http://localhost:5080/auth/callback", false)]
    [InlineData("https://localhost/auth/callback", false)]
    [InlineData("http://192.168.1.20:5080/auth/callback", false)]
    [InlineData("http://music.example.org/auth/callback", false)]
    [InlineData("myapp://callback", false)]
    [InlineData("not a uri", false)]
    public async Task RedirectUrisFollowSpotifysRules(string redirectUri, bool allowed)
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.AutoApproveUserId = "alex");
        fake.Server.AddUser("alex", "Alex");

        using var response = await fake.GetAsync(AuthorizePath(fake, redirectUri), null);

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("INVALID_CLIENT: Invalid redirect URI", await response.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1/auth/callback", "http://127.0.0.1:49152/auth/callback", true)]
    [InlineData("http://[::1]/auth/callback", "http://[::1]:8080/auth/callback", true)]
    [InlineData("http://127.0.0.1:5080/auth/callback", "http://127.0.0.1:5081/auth/callback", false)]
    [InlineData("http://127.0.0.1:5080/auth/callback", "http://127.0.0.1:5080/auth/callback/", false)]
    [InlineData("https://music.example.org/cb", "https://music.example.org/cb", true)]
    [InlineData("https://music.example.org/cb", "https://music.example.org/CB", false)]
    public async Task RegisteredRedirectUrisMatchExactlyExceptLoopbackPorts(string registered, string requested, bool allowed)
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o =>
        {
            o.AutoApproveUserId = "alex";
            o.RegisteredRedirectUris.Add(registered);
        });
        fake.Server.AddUser("alex", "Alex");

        using var response = await fake.GetAsync(AuthorizePath(fake, requested), null);

        Assert.Equal(allowed ? HttpStatusCode.Found : HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task WithoutAutoApprovalTheChooserPageSignsInTheChosenUserOrCancels()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        fake.Server.AddUser("alex", "Alex Morgan");
        fake.Server.AddUser("sam", "Sam Rivera");

        using var page = await fake.GetAsync(AuthorizePath(fake, FakeSpotifyHarness.RedirectUri) + "&state=s1", null);
        var html = await page.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation);
        var samLink = ExtractLink(html, "Sign in as Sam Rivera");
        var cancelLink = ExtractLink(html, "Cancel");
        using var chosen = await fake.GetAsync(samLink, null);
        using var cancelled = await fake.GetAsync(cancelLink, null);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Sign in as Alex Morgan", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, chosen.StatusCode);
        Assert.Contains("code=", chosen.Headers.Location!.Query, StringComparison.Ordinal);
        Assert.Equal("sam", fake.Server.Requests.Last(r => r.Endpoint == "authorize" && r.StatusCode == 302 && r.Query.Contains("fake_user", StringComparison.Ordinal)).UserId);
        var denied = QueryHelpers.ParseQuery(cancelled.Headers.Location!.Query);
        Assert.Equal("access_denied", denied["error"].ToString());
        Assert.Equal("s1", denied["state"].ToString());
    }

    [Fact]
    public async Task UnknownClientsAndBadChallengeMethodsAreRefusedAtAuthorize()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.AutoApproveUserId = "alex");
        fake.Server.AddUser("alex", "Alex");
        var redirect = Uri.EscapeDataString(FakeSpotifyHarness.RedirectUri);

        using var unknownClient = await fake.GetAsync($"authorize?client_id=nope&response_type=code&redirect_uri={redirect}", null);
        using var plainMethod = await fake.GetAsync(
            $"authorize?client_id={fake.Server.Options.ClientId}&response_type=code&redirect_uri={redirect}&code_challenge_method=plain&code_challenge=abc", null);
        using var implicitGrant = await fake.GetAsync(
            $"authorize?client_id={fake.Server.Options.ClientId}&response_type=token&redirect_uri={redirect}", null);

        Assert.Equal(HttpStatusCode.BadRequest, unknownClient.StatusCode);
        Assert.Contains("INVALID_CLIENT", await unknownClient.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation), StringComparison.Ordinal);
        Assert.Equal("invalid_request", QueryHelpers.ParseQuery(plainMethod.Headers.Location!.Query)["error"].ToString());
        Assert.Equal("unsupported_response_type", QueryHelpers.ParseQuery(implicitGrant.Headers.Location!.Query)["error"].ToString());
    }

    [Fact]
    public async Task TheRequestLogNamesTheUserButNeverHoldsATokenOrCode()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.AutoApproveUserId = "alex");
        fake.Server.AddUser("alex", "Alex");
        var code = QueryHelpers.ParseQuery((await AuthorizeAsync(fake)).Query)["code"].ToString();
        var (_, tokens) = await ExchangeAsync(fake, code, Verifier);
        await fake.RefreshAsync((string)tokens["refresh_token"]!);

        var requests = fake.Server.Requests;

        Assert.Equal(["authorize", "token", "token"], requests.Select(r => r.Endpoint));
        Assert.All(requests, r => Assert.Equal("alex", r.UserId));
        Assert.All(requests, r => Assert.DoesNotContain(code, r.Path + r.Query, StringComparison.Ordinal));
        Assert.All(requests, r => Assert.DoesNotContain((string)tokens["access_token"]!, r.Path + r.Query, StringComparison.Ordinal));
    }

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string AuthorizePath(FakeSpotifyHarness fake, string redirectUri, string scope = "user-read-currently-playing") =>
        $"authorize?client_id={fake.Server.Options.ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(redirectUri)}" +
        $"&code_challenge_method=S256&code_challenge={Challenge(Verifier)}&scope={Uri.EscapeDataString(scope)}";

    private static async Task<Uri> AuthorizeAsync(FakeSpotifyHarness fake, string state = "st", string scope = "user-read-currently-playing")
    {
        using var response = await fake.GetAsync(AuthorizePath(fake, FakeSpotifyHarness.RedirectUri, scope) + "&state=" + state, null);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }

    private static Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode Body)> ExchangeAsync(
        FakeSpotifyHarness fake, string code, string verifier, string redirectUri = FakeSpotifyHarness.RedirectUri) =>
        fake.PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = fake.Server.Options.ClientId,
            ["code_verifier"] = verifier,
        });

    private static string ExtractLink(string html, string text)
    {
        var end = html.IndexOf("\">" + text + "</a>", StringComparison.Ordinal);
        var start = html.LastIndexOf("href=\"", end, StringComparison.Ordinal) + "href=\"".Length;
        return System.Net.WebUtility.HtmlDecode(html[start..end]).TrimStart('/');
    }
}
