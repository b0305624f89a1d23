using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

public sealed class ApiClientErrorTests
{
    private const string MePath = "/v1/me";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("The access token expired")]
    [InlineData("Invalid access token")]
    [InlineData("Missing/invalid/expired access token")]
    public async Task Unauthorized_carries_spotify_message_and_is_not_retried(string message)
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(401, message));

        var error = await Assert.ThrowsAsync<SpotifyUnauthorizedException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.Equal(message, error.Message);
        Assert.Equal(401, error.StatusCode);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task Unauthorized_without_a_body_takes_the_www_authenticate_description()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.Empty(401,
            ("WWW-Authenticate", "Bearer realm=\"spotify\", error=\"invalid_token\", error_description=\"The access token expired\"")));

        var error = await Assert.ThrowsAsync<SpotifyUnauthorizedException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.Equal("The access token expired", error.Message);
    }

    [Fact]
    public async Task Unauthorized_with_a_bare_challenge_still_maps_to_unauthorized()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.Empty(401, ("WWW-Authenticate", "Bearer realm=\"spotify\"")));

        await Assert.ThrowsAsync<SpotifyUnauthorizedException>(() => harness.Api.GetMeAsync("access-1", Ct));
    }

    [Theory]
    [InlineData("User not registered in the Developer Dashboard")]
    [InlineData("Active premium subscription required for the owner of the app. When the subscription status changes, it can take a few hours before requests are allowed again.")]
    [InlineData("Forbidden")]
    public async Task Forbidden_carries_spotify_message(string message)
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(403, message));

        var error = await Assert.ThrowsAsync<SpotifyForbiddenException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.Equal(message, error.Message);
        Assert.Equal(403, error.StatusCode);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task Flat_error_shape_on_the_web_api_is_understood_too()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.TokenError("invalid_request", "Only valid bearer authentication supported", status: 400));

        var error = await Assert.ThrowsAsync<SpotifyException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.Equal(typeof(SpotifyException), error.GetType());
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("invalid_request", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "Invalid limit")]
    [InlineData(404, "Service not found")]
    public async Task Other_client_errors_are_plain_spotify_exceptions_and_not_retried(int status, string message)
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(status, message));

        var error = await Assert.ThrowsAsync<SpotifyException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.Equal(typeof(SpotifyException), error.GetType());
        Assert.Equal(status, error.StatusCode);
        Assert.EndsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Server.Requests);
    }
}
