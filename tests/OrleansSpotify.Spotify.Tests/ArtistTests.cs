using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

public sealed class ArtistTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Genres_are_read_and_an_absent_list_is_told_apart_from_an_empty_one()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue("/v1/artists/a1", CannedResponse.Json(200, """{"id":"a1","name":"Band","genres":["indie rock"," shoegaze ",""],"type":"artist","uri":"spotify:artist:a1"}"""));
        harness.Server.Enqueue("/v1/artists/a2", CannedResponse.Json(200, """{"id":"a2","name":"Solo","genres":[],"type":"artist"}"""));
        harness.Server.Enqueue("/v1/artists/a3", CannedResponse.Json(200, """{"id":"a3","name":"Future","type":"artist"}"""));

        var band = await harness.Api.GetArtistAsync("token", "a1", Ct);
        var solo = await harness.Api.GetArtistAsync("token", "a2", Ct);
        var future = await harness.Api.GetArtistAsync("token", "a3", Ct);

        Assert.Equal(["indie rock", "shoegaze"], band.Genres);
        Assert.Equal("Band", band.Name);
        Assert.Empty(solo.Genres!);
        Assert.Null(future.Genres);
        Assert.Equal("Bearer token", harness.Server.RequestsTo("/v1/artists/a1")[0].Header("Authorization"));
    }

    [Fact]
    public async Task An_unknown_artist_is_an_error_not_an_empty_genre_list()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue("/v1/artists/nope", CannedResponse.ApiError(404, "Resource not found"));

        var error = await Assert.ThrowsAsync<SpotifyException>(() => harness.Api.GetArtistAsync("token", "nope", Ct));
        Assert.Equal(404, error.StatusCode);
    }
}
