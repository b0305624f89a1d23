using System.Net;
using System.Text.Json.Nodes;

namespace OrleansSpotify.FakeSpotify.Tests;

public sealed class CurrentlyPlayingTests
{
    private const string CurrentlyPlaying = "v1/me/player/currently-playing";

    [Fact]
    public async Task NothingPlayingIs204WithAnEmptyBody()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddMinutes(5), TestData.Track(), TimeSpan.FromMinutes(3)));

        using var response = await fake.GetAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(FakeSpotifyHarness.Cancellation));
    }

    [Fact]
    public async Task APauseReportsTheItemNotPlayingAtAFixedProgressAndIsNeverAPlay()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var track = TestData.Track(215);
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddMinutes(-2), track, TimeSpan.FromMinutes(5), PausedAt: TimeSpan.FromSeconds(61)));

        var (status, body) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False((bool)body!["is_playing"]!);
        Assert.Equal(61_000, (long)body["progress_ms"]!);
        Assert.Equal(track.Id, (string?)body["item"]!["id"]);
        Assert.Empty(user.VisibleHistory(FakeSpotifyHarness.Start.AddHours(1)));
    }

    [Fact]
    public async Task APlayingTrackHasSpotifysShape()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var track = TestData.Track(215) with { Artists = [TestData.Artist, TestData.Guest] };
        var started = FakeSpotifyHarness.Start.AddSeconds(-42.5);
        user.AddPlay(new ScriptedPlay(started, track, track.Duration, TestData.Album.Uri));

        var (status, body) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(started.ToUnixTimeMilliseconds(), (long)body!["timestamp"]!);
        Assert.True((long)body["timestamp"]! > int.MaxValue);
        Assert.Equal(42_500, (long)body["progress_ms"]!);
        Assert.True((bool)body["is_playing"]!);
        Assert.Equal("track", (string?)body["currently_playing_type"]);
        Assert.True((bool)body["actions"]!["disallows"]!["resuming"]!);
        Assert.Equal("album", (string?)body["context"]!["type"]);
        Assert.Equal(TestData.Album.Uri, (string?)body["context"]!["uri"]);
        Assert.Equal("https://open.spotify.com/album/" + TestData.Album.Id, (string?)body["context"]!["external_urls"]!["spotify"]);

        var item = body["item"]!.AsObject();
        Assert.Equal(track.Id, (string?)item["id"]);
        Assert.Equal(track.Uri, (string?)item["uri"]);
        Assert.Equal("track", (string?)item["type"]);
        Assert.Equal(215_000, (long)item["duration_ms"]!);
        Assert.Equal(3, (int)item["track_number"]!);
        Assert.Equal(1, (int)item["disc_number"]!);
        Assert.False((bool)item["is_local"]!);
        Assert.Equal("USSUB0614004", (string?)item["external_ids"]!["isrc"]);
        Assert.Equal(["Band of Horses", "Drake"], item["artists"]!.AsArray().Select(a => (string?)a!["name"]));
        Assert.Equal("2006-03-21", (string?)item["album"]!["release_date"]);
        Assert.Equal("day", (string?)item["album"]!["release_date_precision"]);
        Assert.Equal(10, (int)item["album"]!["total_tracks"]!);
        Assert.Equal(640, (int)item["album"]!["images"]![0]!["width"]!);
        foreach (var removed in new[] { "popularity", "available_markets", "linked_from" })
        {
            Assert.False(item.ContainsKey(removed), removed);
        }

        Assert.False(item["album"]!.AsObject().ContainsKey("available_markets"));
        Assert.False(item["album"]!.AsObject().ContainsKey("album_group"));
    }

    [Fact]
    public async Task EpisodesHaveANullItemUnlessEpisodesAreRequested()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddMinutes(-10), TestData.Episode, TestData.Episode.Duration, TestData.Episode.ShowUri));

        var (_, plain) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);
        var (_, withEpisodes) = await fake.GetJsonAsync(CurrentlyPlaying + "?additional_types=track,episode", grant.AccessToken);

        Assert.Equal("episode", (string?)plain!["currently_playing_type"]);
        Assert.Null(plain["item"]);
        Assert.True(plain.AsObject().ContainsKey("item"));
        Assert.Equal(600_000, (long)plain["progress_ms"]!);
        Assert.Equal("show", (string?)plain["context"]!["type"]);
        var episode = withEpisodes!["item"]!;
        Assert.Equal("episode", (string?)episode["type"]);
        Assert.Equal(TestData.Episode.Id, (string?)episode["id"]);
        Assert.Equal("spotify:episode:" + TestData.Episode.Id, (string?)episode["uri"]);
        Assert.Equal(2_400_000, (long)episode["duration_ms"]!);
        Assert.Equal("The Daily Signal", (string?)episode["show"]!["name"]);
        Assert.Equal("show", (string?)episode["show"]!["type"]);
        Assert.False(episode["show"]!.AsObject().ContainsKey("publisher"));
    }

    [Fact]
    public async Task AdsReportTypeAdWithProgressAndNoItem()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddSeconds(-12), new FakeAd(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(30)));

        var (_, body) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal("ad", (string?)body!["currently_playing_type"]);
        Assert.Null(body["item"]);
        Assert.Equal(12_000, (long)body["progress_ms"]!);
    }

    [Fact]
    public async Task LocalFilesHaveNullIdsAndALocalUri()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, TestData.Local, TestData.Local.Duration));

        var (_, body) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);

        var item = body!["item"]!;
        Assert.Equal("track", (string?)body["currently_playing_type"]);
        Assert.True((bool)item["is_local"]!);
        Assert.Null(item["id"]);
        Assert.Null(item["href"]);
        Assert.Equal("spotify:local:Halsey:Manic+%28Deluxe%29:929:174", (string?)item["uri"]);
        Assert.Null(item["album"]!["id"]);
        Assert.Null(item["album"]!["album_type"]);
        Assert.Equal("Manic (Deluxe)", (string?)item["album"]!["name"]);
        Assert.Null(item["artists"]![0]!["id"]);
        Assert.Equal(174_000, (long)item["duration_ms"]!);
    }

    [Fact]
    public async Task PrivateSessionsAre204OnCurrentlyPlayingButVisibleOnThePlayer()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, TestData.Track(), TimeSpan.FromMinutes(3), PrivateSession: true));

        var (currentStatus, _) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);
        var (playerStatus, player) = await fake.GetJsonAsync("v1/me/player", grant.AccessToken);
        fake.Server.Options.PrivateSessionReturns204 = false;
        var (configuredStatus, _) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, currentStatus);
        Assert.Equal(HttpStatusCode.OK, playerStatus);
        Assert.True((bool)player!["device"]!["is_private_session"]!);
        Assert.Equal(HttpStatusCode.OK, configuredStatus);
    }

    [Fact]
    public async Task ThePlayerAddsDeviceShuffleAndRepeatAndIs204WhenIdle()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var (idleStatus, _) = await fake.GetJsonAsync("v1/me/player", grant.AccessToken);
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, TestData.Track(), TimeSpan.FromMinutes(3), "spotify:user:alex:collection"));

        var (status, body) = await fake.GetJsonAsync("v1/me/player", grant.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, idleStatus);
        Assert.Equal(HttpStatusCode.OK, status);
        var device = body!["device"]!.AsObject();
        foreach (var field in new[] { "id", "is_active", "is_private_session", "is_restricted", "name", "type", "volume_percent", "supports_volume" })
        {
            Assert.True(device.ContainsKey(field), field);
        }

        Assert.Equal("off", (string?)body["repeat_state"]);
        Assert.False((bool)body["shuffle_state"]!);
        Assert.False((bool)body["smart_shuffle"]!);
        Assert.Equal("track", (string?)body["item"]!["type"]);
        Assert.Equal("collection", (string?)body["context"]!["type"]);
        Assert.Equal("spotify:user:alex:collection", (string?)body["context"]!["uri"]);
    }

    [Fact]
    public async Task RepeatingATrackRestartsProgressWithANewTimestamp()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var track = TestData.Track(180);
        var first = FakeSpotifyHarness.Start;
        var second = first + track.Duration;
        user.AddPlay(new ScriptedPlay(first, track, track.Duration));
        user.AddPlay(new ScriptedPlay(second, track, track.Duration));

        fake.Advance(TimeSpan.FromSeconds(170));
        var (_, before) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);
        fake.Advance(TimeSpan.FromSeconds(12));
        var (_, after) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);
        var (_, player) = await fake.GetJsonAsync("v1/me/player", grant.AccessToken);

        Assert.Equal((string?)before!["item"]!["id"], (string?)after!["item"]!["id"]);
        Assert.Equal(170_000, (long)before["progress_ms"]!);
        Assert.Equal(2_000, (long)after["progress_ms"]!);
        Assert.Equal(second.ToUnixTimeMilliseconds(), (long)after["timestamp"]!);
        Assert.Equal("track", (string?)player!["repeat_state"]);
    }

    [Fact]
    public async Task FloatNumbersModeWritesIntegersWithADecimalPoint()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.FloatNumbers = true);
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, TestData.Track(215), TimeSpan.FromMinutes(3)));

        using var response = await fake.GetAsync(CurrentlyPlaying, grant.AccessToken);
        var text = await response.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation);

        Assert.Contains("\"duration_ms\":215000.0", text, StringComparison.Ordinal);
        Assert.Contains("\"total_tracks\":10.0", text, StringComparison.Ordinal);
        Assert.Contains("\"disc_number\":1.0", text, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(text));
    }

    [Fact]
    public async Task ArtistsServeGenresAndUnknownIdsAre404()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddDays(-1), TestData.Track(), TimeSpan.FromMinutes(3)));

        var (status, artist) = await fake.GetJsonAsync("v1/artists/" + TestData.Artist.Id, grant.AccessToken);
        var (missing, _) = await fake.GetJsonAsync("v1/artists/0000000000000000000000", grant.AccessToken);
        fake.Server.Options.OmitArtistGenres = true;
        var (_, withoutGenres) = await fake.GetJsonAsync("v1/artists/" + TestData.Artist.Id, grant.AccessToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["indie folk"], artist!["genres"]!.AsArray().Select(g => (string?)g));
        Assert.Equal("artist", (string?)artist["type"]);
        Assert.False(artist.AsObject().ContainsKey("followers"));
        Assert.False(artist.AsObject().ContainsKey("popularity"));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.False(withoutGenres!.AsObject().ContainsKey("genres"));
    }

    [Fact]
    public async Task TakingOverThePlayerDropsWhatTheScriptHadPlannedNext()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var scripted = TestData.Track(180, "Scripted Next");
        var earlier = TestData.Track(200, "Scripted Before");
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddMinutes(-10), earlier, earlier.Duration));
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddSeconds(30), scripted, scripted.Duration));
        var chosen = TestData.Track(400, "Chosen Now");

        user.TakeOver(new ScriptedPlay(FakeSpotifyHarness.Start.AddSeconds(-1), chosen, chosen.Duration));
        fake.Advance(TimeSpan.FromMinutes(1));

        var (status, body) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Chosen Now", (string?)body!["item"]!["name"]);
        Assert.Equal(["Scripted Before", "Chosen Now"], user.Plays.Select(p => p.Item.Name));
    }
}
