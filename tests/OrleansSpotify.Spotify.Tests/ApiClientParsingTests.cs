using OrleansSpotify.Spotify.Models;
using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

public sealed class ApiClientParsingTests
{
    private const string CurrentlyPlayingPath = "/v1/me/player/currently-playing";
    private const string RecentlyPlayedPath = "/v1/me/player/recently-played";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Track_is_parsed_with_float_duration_int64_timestamp_and_widest_image_first()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(CurrentlyPlayingPath, CannedResponse.Fixture("currently-playing-track.json"));

        var playing = await harness.Api.GetCurrentlyPlayingAsync("access-1", Ct);

        Assert.NotNull(playing);
        Assert.Equal(1788264000123L, playing.Timestamp);
        Assert.Equal(42000L, playing.ProgressMs);
        Assert.True(playing.IsPlaying);
        Assert.Equal("track", playing.CurrentlyPlayingType);
        Assert.Equal(new SpotifyContext("playlist", "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M"), playing.Context);

        var track = playing.Item;
        Assert.NotNull(track);
        Assert.True(track.IsTrack);
        Assert.Equal("7FwBtcecmlpc1sLySPXeGE", track.Id);
        Assert.Equal("spotify:track:7FwBtcecmlpc1sLySPXeGE", track.Uri);
        Assert.Equal("Life on Mars? - 2015 Remaster", track.Name);
        Assert.Equal(215000L, track.DurationMs);
        Assert.False(track.Explicit);
        Assert.False(track.IsLocal);
        Assert.Equal("GBAYE1500858", track.Isrc);
        Assert.Null(track.Show);
        Assert.Equal([new SpotifyArtist("0oSGxfWSnnOXhD2fKuz2Gy", "spotify:artist:0oSGxfWSnnOXhD2fKuz2Gy", "David Bowie")], track.Artists);

        var album = track.Album;
        Assert.NotNull(album);
        Assert.Equal("6fQElzBNTiEMGdIeY0hy5l", album.Id);
        Assert.Equal("Hunky Dory (2015 Remaster)", album.Name);
        Assert.Equal("album", album.AlbumType);
        Assert.Equal("1971-12-17", album.ReleaseDate);
        Assert.Equal([640, 300, 64], album.Images.Select(i => i.Width ?? 0));
        Assert.Equal("https://i.scdn.co/image/large", album.Images[0].Url);
        Assert.Equal(640, album.Images[0].Height);
        Assert.Single(album.Artists);
    }

    [Fact]
    public async Task Currently_playing_asks_for_episodes_with_the_bearer_token_and_our_user_agent()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(CurrentlyPlayingPath, CannedResponse.Fixture("currently-playing-track.json"));

        await harness.Api.GetCurrentlyPlayingAsync("access-1", Ct);

        var request = Assert.Single(harness.Server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("?additional_types=episode", request.Query);
        Assert.Equal("Bearer access-1", request.Header("Authorization"));
        Assert.Equal("OrleansSpotify/1.0", request.Header("User-Agent"));
    }

    [Fact]
    public async Task Episode_maps_its_show_into_show_and_album()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(CurrentlyPlayingPath, CannedResponse.Fixture("currently-playing-episode.json"));

        var playing = await harness.Api.GetCurrentlyPlayingAsync("access-1", Ct);

        Assert.NotNull(playing);
        Assert.Equal("episode", playing.CurrentlyPlayingType);
        Assert.Equal(1234567L, playing.ProgressMs);
        var episode = playing.Item;
        Assert.NotNull(episode);
        Assert.True(episode.IsEpisode);
        Assert.Equal("512ojhOuo1ktJprKbVcKyQ", episode.Id);
        Assert.Equal("spotify:episode:512ojhOuo1ktJprKbVcKyQ", episode.Uri);
        Assert.Equal("Episode 42: The Answer", episode.Name);
        Assert.Equal(3600000L, episode.DurationMs);
        Assert.True(episode.Explicit);
        Assert.Empty(episode.Artists);
        Assert.Null(episode.Isrc);

        var show = episode.Show;
        Assert.NotNull(show);
        Assert.Equal("2mTUnDkuKUkhiueKcVWoP0", show.Id);
        Assert.Equal("spotify:show:2mTUnDkuKUkhiueKcVWoP0", show.Uri);
        Assert.Equal("The Deep Thought Podcast", show.Name);
        Assert.Null(show.Publisher);
        Assert.Equal(["https://i.scdn.co/image/episode-640", "https://i.scdn.co/image/episode-300"], show.Images.Select(i => i.Url));

        var album = episode.Album;
        Assert.NotNull(album);
        Assert.Equal("The Deep Thought Podcast", album.Name);
        Assert.Equal("show", album.AlbumType);
        Assert.Equal("spotify:show:2mTUnDkuKUkhiueKcVWoP0", album.Uri);
        Assert.Equal("2026-08-30", album.ReleaseDate);
        Assert.Equal(show.Images, album.Images);
    }

    [Theory]
    [InlineData("currently-playing-episode-without-item.json", "episode", 53000L, true)]
    [InlineData("currently-playing-ad.json", "ad", 12000L, true)]
    [InlineData("currently-playing-unknown.json", "unknown", null, false)]
    public async Task Items_spotify_does_not_describe_come_back_null(string fixture, string type, long? progressMs, bool isPlaying)
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(CurrentlyPlayingPath, CannedResponse.Fixture(fixture));

        var playing = await harness.Api.GetCurrentlyPlayingAsync("access-1", Ct);

        Assert.NotNull(playing);
        Assert.Null(playing.Item);
        Assert.Null(playing.Context);
        Assert.Equal(type, playing.CurrentlyPlayingType);
        Assert.Equal(progressMs, playing.ProgressMs);
        Assert.Equal(isPlaying, playing.IsPlaying);
    }

    [Fact]
    public async Task Local_file_has_null_ids_and_a_spotify_local_uri()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(CurrentlyPlayingPath, CannedResponse.Fixture("currently-playing-local.json"));

        var playing = await harness.Api.GetCurrentlyPlayingAsync("access-1", Ct);

        Assert.NotNull(playing);
        Assert.Equal(new SpotifyContext("collection", "spotify:user:alice:collection"), playing.Context);
        var track = playing.Item;
        Assert.NotNull(track);
        Assert.True(track.IsLocal);
        Assert.True(track.IsTrack);
        Assert.Null(track.Id);
        Assert.Equal("spotify:local:Halsey:Manic+%28Deluxe%29:929:174", track.Uri);
        Assert.Equal("929", track.Name);
        Assert.Equal(174000L, track.DurationMs);
        Assert.Null(track.Isrc);
        Assert.Equal([new SpotifyArtist(null, null, "Halsey")], track.Artists);
        Assert.NotNull(track.Album);
        Assert.Equal(new SpotifyAlbum(null, null, "Manic (Deluxe)", null, null, track.Album.Images, track.Album.Artists), track.Album);
        Assert.Empty(track.Album.Images);
        Assert.Empty(track.Album.Artists);
    }

    [Fact]
    public async Task Legacy_local_file_duration_object_and_float_progress_are_read()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(CurrentlyPlayingPath, CannedResponse.Fixture("currently-playing-local-legacy-duration.json"));

        var playing = await harness.Api.GetCurrentlyPlayingAsync("access-1", Ct);

        Assert.NotNull(playing?.Item);
        Assert.Equal(188000L, playing.Item.DurationMs);
        Assert.Equal(15000L, playing.ProgressMs);
        Assert.Equal("track", playing.CurrentlyPlayingType);
    }

    [Fact]
    public async Task Nothing_playing_204_is_null()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(CurrentlyPlayingPath, CannedResponse.Empty(204));

        Assert.Null(await harness.Api.GetCurrentlyPlayingAsync("access-1", Ct));
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task Empty_200_is_treated_like_204()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(CurrentlyPlayingPath, CannedResponse.Json(200, ""));

        Assert.Null(await harness.Api.GetCurrentlyPlayingAsync("access-1", Ct));
    }

    [Fact]
    public async Task Recently_played_parses_every_played_at_precision_and_the_cursors()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(RecentlyPlayedPath, CannedResponse.Fixture("recently-played.json"));

        var page = await harness.Api.GetRecentlyPlayedAsync("access-1", cancellationToken: Ct);

        Assert.Equal("?limit=50", Assert.Single(harness.Server.Requests).Query);
        Assert.Equal("1788263888359", page.CursorAfter);
        Assert.Equal("1788263250500", page.CursorBefore);
        Assert.Equal("https://api.spotify.com/v1/me/player/recently-played?before=1788263250500&limit=50", page.Next);
        Assert.Equal(
            [
                new DateTimeOffset(2026, 9, 1, 11, 58, 8, 359, TimeSpan.Zero),
                new DateTimeOffset(2026, 9, 1, 11, 54, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 9, 1, 11, 50, 59, TimeSpan.Zero).AddTicks(1234568), // 9 digits, rounded to 100 ns
                new DateTimeOffset(2026, 9, 1, 11, 47, 30, 500, TimeSpan.Zero),
            ],
            page.Items.Select(i => i.PlayedAt));
        Assert.All(page.Items, i => Assert.Equal(TimeSpan.Zero, i.PlayedAt.Offset));

        var first = page.Items[0];
        Assert.Equal("spotify:track:track1", first.Track.Uri);
        Assert.Equal(["Artist One", "Artist Two"], first.Track.Artists.Select(a => a.Name));
        Assert.Equal("USRC17607839", first.Track.Isrc);
        Assert.True(first.Track.Explicit);
        Assert.Equal(new SpotifyContext("album", "spotify:album:album1"), first.Context);
        Assert.Equal("1981-12", first.Track.Album?.ReleaseDate);
        Assert.Equal([640, null], first.Track.Album!.Images.Select(i => i.Width));

        Assert.Equal(180000L, page.Items[1].Track.DurationMs);
        Assert.Null(page.Items[1].Context);
        Assert.Equal("track", page.Items[3].Track.Type);
        Assert.False(page.Items[3].Track.IsLocal);
    }

    [Fact]
    public async Task Recently_played_sends_the_requested_limit()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(RecentlyPlayedPath, CannedResponse.Fixture("recently-played-empty.json"));

        await harness.Api.GetRecentlyPlayedAsync("access-1", limit: 20, Ct);

        Assert.Equal("?limit=20", Assert.Single(harness.Server.Requests).Query);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public async Task Recently_played_limit_outside_1_to_50_is_rejected_before_sending(int limit)
    {
        await using var harness = await SpotifyHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Api.GetRecentlyPlayedAsync("access-1", limit, Ct));
        Assert.Empty(harness.Server.Requests);
    }

    [Fact]
    public async Task Empty_recently_played_page_has_null_cursors()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(RecentlyPlayedPath, CannedResponse.Fixture("recently-played-empty.json"));

        var page = await harness.Api.GetRecentlyPlayedAsync("access-1", cancellationToken: Ct);

        Assert.Empty(page.Items);
        Assert.Null(page.CursorAfter);
        Assert.Null(page.CursorBefore);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Entries_without_a_readable_played_at_are_skipped_not_fatal()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(RecentlyPlayedPath, CannedResponse.Json(200, """
            {"items":[
              {"track":{"type":"track","id":"a","uri":"spotify:track:a","name":"A","duration_ms":1000},"played_at":"yesterday","context":null},
              {"track":null,"played_at":"2026-09-01T11:00:00Z"},
              {"track":{"type":"track","id":"b","uri":"spotify:track:b","name":"B","duration_ms":1000},"played_at":"2026-09-01T11:00:00Z"}
            ],"next":null,"cursors":{"after":1788260400000,"before":"1788260400000"},"limit":50}
            """));

        var page = await harness.Api.GetRecentlyPlayedAsync("access-1", cancellationToken: Ct);

        Assert.Equal("spotify:track:b", Assert.Single(page.Items).Track.Uri);
        Assert.Equal("1788260400000", page.CursorAfter);
        Assert.Contains(harness.Logs.Entries, e => e.Message.Contains("Skipped 2 recently-played entries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Profile_prefers_account_id()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue("/v1/me", CannedResponse.Fixture("me.json"));

        var profile = await harness.Api.GetMeAsync("access-1", Ct);

        Assert.Equal(new SpotifyUserProfile("alice", "acc-7f3c2e", "Alice"), profile);
        Assert.Equal("acc-7f3c2e", profile.AccountKey);
    }

    [Fact]
    public async Task Profile_without_account_id_falls_back_to_id()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue("/v1/me", CannedResponse.Json(200, """{"id":"bob","display_name":null,"type":"user","uri":"spotify:user:bob"}"""));

        var profile = await harness.Api.GetMeAsync("access-1", Ct);

        Assert.Equal(new SpotifyUserProfile("bob", null, null), profile);
        Assert.Equal("bob", profile.AccountKey);
    }

    [Theory]
    [InlineData("{\"timestamp\":1788264000123,\"item\":")]
    [InlineData("<html>oops</html>")]
    [InlineData("[1,2,3]")]
    public async Task Malformed_200_body_is_transient_and_not_retried(string body)
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(CurrentlyPlayingPath, CannedResponse.Json(200, body));

        var error = await Assert.ThrowsAsync<SpotifyTransientException>(() => harness.Api.GetCurrentlyPlayingAsync("access-1", Ct));

        Assert.Equal(200, error.StatusCode);
        Assert.Single(harness.Server.Requests);
    }
}
