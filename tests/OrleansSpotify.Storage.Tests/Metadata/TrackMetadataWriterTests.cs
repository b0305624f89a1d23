using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Import;
using OrleansSpotify.Storage.Metadata;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Storage.Tests.Metadata;

/// <summary>Storing looked-up track metadata: filled in place, name-only tracks folded into the real one, artists merged.</summary>
public sealed class TrackMetadataWriterTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TestDatabase.T0;
    private readonly TestDatabase _db = new();
    private readonly PlayWriter _writer;
    private readonly PlayImporter _importer;

    public TrackMetadataWriterTests()
    {
        _db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        _db.Accounts.Upsert("sam", "sam", "Sam", T0, T0);
        _writer = new PlayWriter(_db.Database);
        _importer = new PlayImporter(_writer);
    }

    private TrackLookupStore Lookups => new(_db.Database);

    private TrackMetadataWriter Metadata => new(_writer);

    /// <summary>What Spotify answers for "Lost Song" by "Old Band": the real track, two artists, an album with art.</summary>
    private static TrackInfo RealLostSong => new(
        "spotify:track:lost", "lost", "Lost Song", 215_000, true, false, "ISRCLOST",
        new AlbumInfo("album-lost", "Found Album", "album", "1999-05-01", "https://img/lost"),
        [new ArtistInfo("artist-old-band", "Old Band"), new ArtistInfo("artist-guest", "Guest")]);

    [Fact]
    public void AnExtendedHistoryTrackGainsDurationAlbumArtAndArtistIds()
    {
        var details = new ListeningDetails("trackdone", "trackdone", false, false, false, null, false, "android");
        _importer.Import("alex", ImportFormat.ExtendedHistory, [
            new(0, ImportedKind.Track, T0, 180_000, "spotify:track:lost", "Lost Song", "Old Band", "Found Album", details, null),
        ]);
        var pending = Assert.Single(Lookups.Pending(10, T0));
        Assert.Equal("lost", pending.SpotifyId);
        Assert.False(pending.IsNameOnly);

        var result = Metadata.Apply(pending.TrackId, RealLostSong, T0);

        Assert.True(result.Applied);
        Assert.False(result.Folded);
        Assert.Equal(["alex"], result.Accounts);
        Assert.Equal("215000|album-lost|https://img/lost|1|ISRCLOST", Text("SELECT t.duration_ms || '|' || al.spotify_id || '|' || al.image_url || '|' || t.explicit || '|' || t.isrc FROM tracks t JOIN albums al ON al.id = t.album_id"));
        Assert.Equal("Old Band/artist-old-band, Guest/artist-guest", Text("SELECT group_concat(ar.name || '/' || ar.spotify_id, ', ') FROM (SELECT * FROM track_artists ORDER BY position) ta JOIN artists ar ON ar.id = ta.artist_id"));
        Assert.Equal("0", Text("SELECT count(*) FROM albums WHERE spotify_id IS NULL"));
        Assert.Equal("0", Text("SELECT count(*) FROM artists WHERE spotify_id IS NULL"));
        Assert.Empty(Lookups.Pending(10, T0));
        var album = Assert.Single(Stats().Top(TopKind.Albums, new StatsRequest(null, null, "UTC")).Items);
        Assert.Equal(("album-lost", "https://img/lost"), (album.SpotifyId, album.ImageUrl));
    }

    [Fact]
    public void ANameOnlyTrackIsFoldedIntoTheStoredRealTrackAndListedOnceWithTheSummedPlays()
    {
        // The song imported by name (account data) three times for Alex; then the real track polled twice by Alex (once
        // 40 s after an imported row ended: the same play by the import's rule, merged once folded) and once by Sam.
        _importer.Import("alex", ImportFormat.AccountData, [
            new(0, ImportedKind.Track, T0.AddDays(-30), 200_000, null, "lost song", "OLD BAND", null, null, null),
            new(1, ImportedKind.Track, T0.AddDays(-29), 10_000, null, "lost song", "OLD BAND", null, null, null),
            new(2, ImportedKind.Track, T0.AddDays(1), 200_000, null, "lost song", "OLD BAND", null, null, null),
            new(3, ImportedKind.Track, T0.AddDays(-28), 200_000, null, "Another One", "Old Band", null, null, null),
        ]);
        _writer.Write([
            new PendingPlay("alex", TestDatabase.Play(RealLostSong, T0)),
            new PendingPlay("alex", TestDatabase.Play(RealLostSong, T0.AddDays(1).AddSeconds(40))),
            new PendingPlay("sam", TestDatabase.Play(RealLostSong, T0.AddDays(2))),
        ]);
        Assert.Equal(2, Stats().Top(TopKind.Tracks, new StatsRequest(null, null, "UTC")).Items.Count(i => i.Name.Equals("lost song", StringComparison.OrdinalIgnoreCase)));
        var nameOnly = Lookups.Pending(10, T0).First(p => p.Name == "lost song");
        Assert.True(nameOnly.IsNameOnly);
        // Polling has given the name-only artist its id already (PlayWriter adopts it by name).
        Assert.Equal("Old Band", nameOnly.ArtistName);

        var result = Metadata.Apply(nameOnly.TrackId, RealLostSong, T0);
        _importer.Forget();

        Assert.True(result.Folded);
        Assert.Equal((0, 1), (result.DroppedPlays, result.MergedPlays));
        Assert.Equal(["alex", "sam"], result.Accounts);
        var merged = _db.Queries.GetPlays("alex", null, null, null, 10)!.Plays.Single(p => p.PlayedAt == T0.AddDays(1).AddSeconds(40));
        Assert.Equal(200_000, merged.MsPlayed);
        Assert.Equal("0", Text($"SELECT count(*) FROM tracks WHERE id = {nameOnly.TrackId}"));
        Assert.Equal("4", Text("SELECT count(*) FROM plays p JOIN tracks t ON t.id = p.track_id WHERE p.account_id = 1 AND t.uri = 'spotify:track:lost'"));
        var top = Stats().Top(TopKind.Tracks, new StatsRequest(null, null, "UTC"));
        var lost = Assert.Single(top.Items, i => i.Name.Contains("lost song", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(("lost", "Lost Song", 3L), (lost.SpotifyId, lost.Name, lost.Plays));
        Assert.Equal(1, Stats().Summary(new StatsRequest(null, null, "UTC")).Skips);
        // The other name-only track of the band now names the real artist: one "Old Band" in the top artists.
        Assert.Equal("0", Text("SELECT count(*) FROM artists WHERE spotify_id IS NULL"));
        var band = Assert.Single(Stats().Top(TopKind.Artists, new StatsRequest(null, null, "UTC")).Items);
        Assert.Equal(("artist-old-band", 4L), (band.SpotifyId, band.Plays));

        // A re-import of the same account data finds the real track: nothing new.
        var again = _importer.Import("alex", ImportFormat.AccountData, [new(0, ImportedKind.Track, T0.AddDays(-30), 200_000, null, "lost song", "OLD BAND", null, null, null)]);
        Assert.Equal((0, 1), (again.Imported, again.Duplicates));
    }

    [Fact]
    public void AFoldedPlayTheRealTrackHasAtTheSameTimeIsDroppedAndLoggedOnce()
    {
        _importer.Import("alex", ImportFormat.AccountData, [new(0, ImportedKind.Track, T0, 200_000, null, "Lost Song", "Old Band", null, null, null)]);
        var nameOnly = Assert.Single(Lookups.Pending(10, T0));
        var details = new ListeningDetails("trackdone", "trackdone", false, false, false, null, false, "android");
        _importer.Import("alex", ImportFormat.ExtendedHistory, [
            new(0, ImportedKind.Track, T0, 200_000, "spotify:track:lost", "Lost Song", "Old Band", "Found Album", details, null),
            new(1, ImportedKind.Track, T0.AddDays(1), 200_000, "spotify:track:lost", "Lost Song", "Old Band", "Found Album", details, null),
        ]);

        var result = Metadata.Apply(nameOnly.TrackId, RealLostSong, T0);

        Assert.Equal((true, 1, 0), (result.Folded, result.DroppedPlays, result.MergedPlays));
        Assert.Equal("2", Text("SELECT count(*) FROM plays"));
        Assert.Equal(2, new PlayLogReader(_db.Database).Load("alex")!.Count);
        Assert.Equal(2L, Assert.Single(Stats().Top(TopKind.Tracks, new StatsRequest(null, null, "UTC")).Items).Plays);
    }

    [Fact]
    public void ANameOnlyArtistIsMergedIntoTheArtistStoredWithItsId()
    {
        _writer.Write([new PendingPlay("alex", TestDatabase.Play(RealLostSong, T0))]);
        Execute("""
            INSERT INTO artists (id, spotify_id, name) VALUES (900, NULL, 'OLD BAND');
            INSERT INTO tracks (id, uri, spotify_id, name, duration_ms) VALUES (900, 'spotify:imported:feed', NULL, 'Lost Song', 0);
            INSERT INTO track_artists (track_id, position, artist_id) VALUES (900, 0, 900);
            INSERT INTO plays (account_id, played_at, track_id, ms_played, source_id) VALUES (1, 1000, 900, 200000, 3);
            INSERT INTO play_log_chunks (account_id, chunk, play_count, data) VALUES (1, 1, 1, zeroblob(16));
            """);
        var record = new byte[16];
        PlayLogFormat.Write(record, 1000, 900, 200_000);
        Execute("UPDATE play_log_chunks SET data = $data WHERE account_id = 1 AND chunk = 1", ("$data", record));

        var result = Metadata.Apply(900, RealLostSong, T0);

        Assert.True(result.Folded);
        Assert.Equal("0", Text("SELECT count(*) FROM artists WHERE id = 900 OR spotify_id IS NULL"));
        var lost = Assert.Single(Stats().Top(TopKind.Tracks, new StatsRequest(null, null, "UTC")).Items);
        Assert.Equal(("lost", 2L), (lost.SpotifyId, lost.Plays));
        Assert.Equal(2L, Assert.Single(Stats().Top(TopKind.Artists, new StatsRequest(null, null, "UTC")).Items).Plays);
    }

    [Fact]
    public void ANameOnlyTrackWhoseRealTrackIsNotStoredBecomesItInPlace()
    {
        _importer.Import("alex", ImportFormat.AccountData, [
            new(0, ImportedKind.Track, T0, 200_000, null, "Lost Song", "Old Band", null, null, null),
        ]);
        var nameOnly = Assert.Single(Lookups.Pending(10, T0));

        var result = Metadata.Apply(nameOnly.TrackId, RealLostSong, T0);

        Assert.Equal((true, false, nameOnly.TrackId), (result.Applied, result.Folded, result.TrackId));
        Assert.Equal("spotify:track:lost|lost|215000", Text($"SELECT uri || '|' || spotify_id || '|' || duration_ms FROM tracks WHERE id = {nameOnly.TrackId}"));
        Assert.Equal("artist-old-band", Text("SELECT spotify_id FROM artists WHERE name = 'Old Band'"));
        Assert.Empty(Lookups.Pending(10, T0));
    }

    [Fact]
    public void AGoneTrackIsNotWritten()
    {
        var result = Metadata.Apply(12345, RealLostSong, T0);

        Assert.False(result.Applied);
        Assert.Equal("0", Text("SELECT count(*) FROM tracks"));
    }

    [Fact]
    public void PendingTracksComeMostPlayedFirstAndANotFoundOneWaitsItsTime()
    {
        _importer.Import("alex", ImportFormat.AccountData, [
            new(0, ImportedKind.Track, T0, 200_000, null, "Once", "Band", null, null, null),
            new(1, ImportedKind.Track, T0.AddHours(1), 200_000, null, "Thrice", "Band", null, null, null),
            new(2, ImportedKind.Track, T0.AddHours(2), 200_000, null, "Thrice", "Band", null, null, null),
            new(3, ImportedKind.Track, T0.AddHours(3), 200_000, null, "Thrice", "Band", null, null, null),
            new(4, ImportedKind.Track, T0.AddHours(4), 200_000, null, "Twice", "Band", null, null, null),
            new(5, ImportedKind.Track, T0.AddHours(5), 200_000, null, "Twice", "Band", null, null, null),
            new(6, ImportedKind.Episode, T0.AddHours(6), 200_000, null, "An Episode", "A Show", null, null, null),
        ]);

        Assert.Equal(["Thrice", "Twice", "Once"], Lookups.Pending(10, T0).Select(p => p.Name));
        var thrice = Lookups.Pending(1, T0)[0];
        Lookups.Later(thrice.TrackId, 1, T0.AddDays(30));

        Assert.Equal(["Twice", "Once"], Lookups.Pending(10, T0.AddDays(29)).Select(p => p.Name));
        Assert.Equal(["Thrice", "Twice", "Once"], Lookups.Pending(10, T0.AddDays(30)).Select(p => p.Name));
        Assert.Equal(1, Lookups.Pending(10, T0.AddDays(30))[0].Attempts);
    }

    private StatsEngine Stats()
    {
        var cache = new CatalogCache(_db.Database);
        return new StatsEngine(new PlayLogReader(_db.Database).Load("alex")!, cache.Current(), cache, TimeZoneInfo.Utc, T0.AddDays(3));
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = _db.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private string Text(string sql)
    {
        using var connection = _db.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql + ";";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public void Dispose()
    {
        _importer.Dispose();
        _writer.Dispose();
        _db.Dispose();
    }
}
