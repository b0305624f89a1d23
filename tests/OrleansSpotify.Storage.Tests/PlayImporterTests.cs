using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Import;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Storage.Tests;

/// <summary>The import rules of issue 10, each against a real SQLite file, through the writer's own connection.</summary>
public sealed class PlayImporterTests
{
    private static readonly DateTimeOffset T0 = TestDatabase.T0;

    private static ImportedPlay Extended(string id, DateTimeOffset endedAt, long ms, string name = "Song", string artist = "Artist", string? album = "Album", long record = 0) =>
        new(record, ImportedKind.Track, endedAt, ms, "spotify:track:" + id, name, artist, album, new ListeningDetails("trackdone", "trackdone", false, false, false, null, false, "android"), null);

    private static ImportedPlay Account(string name, string artist, DateTimeOffset endedAt, long ms) =>
        new(0, ImportedKind.Track, endedAt, ms, null, name, artist, null, null, null);

    private sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            Db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
            Writer = new PlayWriter(Db.Database);
            Importer = new PlayImporter(Writer);
        }

        public TestDatabase Db { get; } = new();

        public PlayWriter Writer { get; }

        public PlayImporter Importer { get; }

        public ImportBatchResult Import(ImportFormat format, params ImportedPlay[] rows) => Importer.Import("alex", format, rows);

        public void Poll(TrackInfo track, DateTimeOffset at) => Writer.Write([new PendingPlay("alex", TestDatabase.Play(track, at))]);

        public IReadOnlyList<StoredPlay> Plays() => Db.Queries.GetPlays("alex", null, null, null, 1000)!.Plays;

        public PlayLog Log() => new PlayLogReader(Db.Database).Load("alex")!;

        public StatsEngine Stats()
        {
            var cache = new CatalogCache(Db.Database);
            return new StatsEngine(Log(), cache.Current(), cache, TimeZoneInfo.Utc, T0.AddDays(1));
        }

        public long Scalar(string sql)
        {
            using var connection = Db.Database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }

        public void Dispose()
        {
            Importer.Dispose();
            Writer.Dispose();
            Db.Dispose();
        }
    }

    [Fact]
    public void APolledPlayKeepsItsTimeAndSourceAndGainsTheRealMsPlayedInThePlaysAndInThePackedLog()
    {
        using var f = new Fixture();
        var song = TestDatabase.Track("s1");
        f.Poll(song, T0);

        var result = f.Import(ImportFormat.ExtendedHistory, Extended("s1", T0.AddSeconds(-42), 150_000));

        Assert.Equal((0, 1, 0), (result.Imported, result.Merged, result.Duplicates));
        var play = Assert.Single(f.Plays());
        Assert.Equal(T0, play.PlayedAt);
        Assert.Equal(PlaySource.RecentlyPlayed, play.Source);
        Assert.Equal("spotify:album:x", play.ContextUri);
        Assert.Equal(150_000, play.MsPlayed);

        var log = f.Log();
        Assert.Equal([T0.ToUnixTimeMilliseconds()], log.PlayedAt);
        Assert.Equal([150_000], log.Ms);
        Assert.Equal([true], log.MsReported);
        var summary = f.Stats().Summary(new StatsRequest(null, null, "UTC"));
        Assert.Equal(1, summary.Plays);
        Assert.Equal(new ListeningTime(150_000, 150_000, 0), summary.Time);
        Assert.Equal(1, f.Scalar("SELECT count(*) FROM plays p JOIN play_labels l ON l.id = (p.details >> 40) & 65535 WHERE l.label = 'android' AND p.details & 255 = 1 | 4 | 16 | 64;"));
        Assert.Equal(1, f.Scalar("SELECT count(*) FROM plays p JOIN play_labels l ON l.id = (p.details >> 8) & 65535 WHERE l.label = 'trackdone';"));
    }

    [Fact]
    public void APolledPlayOfATrackImportedFirstTakesOverTheImportedRow()
    {
        using var f = new Fixture();
        f.Import(
            ImportFormat.ExtendedHistory,
            Extended("s1", T0.AddSeconds(-40), 170_000),
            Extended("s1", T0.AddSeconds(-55), 90_000),
            Extended("s2", T0.AddMinutes(-10), 200_000));
        Assert.Equal(3, f.Log().Count);

        // Polled later (the listener was behind): s1 at T0 is the imported row 40 s away (the nearer one), not a new
        // play; the polled copy of it again adds nothing; another track near T0 is a play of its own.
        Assert.Equal([true, false, true], f.Writer.Write(
        [
            new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("s1"), T0)),
            new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("s1"), T0)),
            new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("s3"), T0.AddSeconds(5))),
        ]));

        var plays = f.Plays();
        Assert.Equal(4, plays.Count);
        var s1 = plays.Single(p => p.PlayedAt == T0);
        Assert.Equal((PlaySource.RecentlyPlayed, "spotify:album:x", (long?)170_000), (s1.Source, s1.ContextUri, s1.MsPlayed));
        Assert.Equal(90_000, plays.Single(p => p.PlayedAt == T0.AddSeconds(-55)).MsPlayed);
        var log = f.Log();
        Assert.Equal(4, log.Count);
        Assert.Contains(T0.ToUnixTimeMilliseconds(), log.PlayedAt);
        Assert.DoesNotContain(T0.AddSeconds(-40).ToUnixTimeMilliseconds(), log.PlayedAt);
        Assert.Equal(170_000, log.Ms[Array.IndexOf(log.PlayedAt, T0.ToUnixTimeMilliseconds())]);

        // Re-importing the same rows still adds nothing: the taken-over row is remembered by its end.
        var again = f.Import(ImportFormat.ExtendedHistory, Extended("s1", T0.AddSeconds(-40), 170_000), Extended("s1", T0.AddSeconds(-55), 90_000), Extended("s2", T0.AddMinutes(-10), 200_000));
        Assert.Equal((0, 0, 3), (again.Imported, again.Merged, again.Duplicates));
        Assert.Equal(4, f.Db.Queries.CountPlays("alex"));
    }

    [Fact]
    public void MatchingIsOneToOneNearestFirstAndNeverAcrossTracks()
    {
        using var f = new Fixture();
        var song = TestDatabase.Track("s1");
        var other = TestDatabase.Track("o1");
        f.Poll(song, T0);
        f.Poll(other, T0.AddSeconds(5));

        // Two rows of s1 near the one polled s1 play: the nearer (10 s) merges, the farther (50 s) is a play of its
        // own, even though it comes first. The row of another track 5 s from o1's polled play... is o1 (merges);
        // a row of a third track right at T0 merges with nothing.
        var result = f.Import(
            ImportFormat.ExtendedHistory,
            Extended("s1", T0.AddSeconds(-50), 100_000),
            Extended("s1", T0.AddSeconds(10), 200_000),
            Extended("o1", T0.AddSeconds(5), 300_000),
            Extended("t3", T0, 400_000, name: "Third"));

        Assert.Equal((2, 2, 0), (result.Imported, result.Merged, result.Duplicates));
        var plays = f.Plays().ToDictionary(p => (p.Track.Uri, p.PlayedAt));
        Assert.Equal(200_000, plays[("spotify:track:s1", T0)].MsPlayed);
        Assert.Equal(PlaySource.RecentlyPlayed, plays[("spotify:track:s1", T0)].Source);
        Assert.Equal(100_000, plays[("spotify:track:s1", T0.AddSeconds(-50))].MsPlayed);
        Assert.Equal(PlaySource.ImportExtendedHistory, plays[("spotify:track:s1", T0.AddSeconds(-50))].Source);
        Assert.Equal(300_000, plays[("spotify:track:o1", T0.AddSeconds(5))].MsPlayed);
        Assert.Equal(400_000, plays[("spotify:track:t3", T0)].MsPlayed);
        Assert.Equal(4, plays.Count);
    }

    [Fact]
    public void TheWindowIsSixtySecondsForExtendedHistoryAndTwoMinutesForAccountData()
    {
        using var f = new Fixture();
        var song = TestDatabase.Track("s1", "Song", "Artist");
        f.Poll(song, T0);
        f.Poll(song, T0.AddHours(1));

        var extended = f.Import(ImportFormat.ExtendedHistory, Extended("s1", T0.AddSeconds(61), 100_000));
        Assert.Equal((1, 0), (extended.Imported, extended.Merged));

        // Account data has minutes only: 1:50 from the polled play is still the same play.
        var account = f.Import(ImportFormat.AccountData, Account("Song", "Artist", T0.AddHours(1).AddSeconds(-110), 180_000));
        Assert.Equal((0, 1), (account.Imported, account.Merged));
        Assert.Equal(180_000, f.Plays().Single(p => p.PlayedAt == T0.AddHours(1)).MsPlayed);
        var beyond = f.Import(ImportFormat.AccountData, Account("Song", "Artist", T0.AddHours(2).AddSeconds(121), 180_000));
        Assert.Equal((1, 0), (beyond.Imported, beyond.Merged));
    }

    [Fact]
    public void ReImportingTheSameRowsOrAnOverlappingExportAddsNothing()
    {
        using var f = new Fixture();
        f.Poll(TestDatabase.Track("s1"), T0);
        var rows = new[]
        {
            Extended("s1", T0.AddSeconds(-3), 120_000),          // merges with the polled play
            Extended("s2", T0.AddMinutes(5), 120_000),
            Extended("s2", T0.AddMinutes(5), 120_000),           // a duplicate inside one export
            Extended("s3", T0.AddMinutes(9), 120_000),
        };

        var first = f.Import(ImportFormat.ExtendedHistory, rows);
        Assert.Equal((2, 1, 1), (first.Imported, first.Merged, first.Duplicates));
        var again = f.Import(ImportFormat.ExtendedHistory, rows);
        Assert.Equal((0, 0, 4), (again.Imported, again.Merged, again.Duplicates));

        // A later export overlapping the first: only its new row is stored.
        var overlapping = f.Import(ImportFormat.ExtendedHistory, rows[3], Extended("s4", T0.AddMinutes(14), 120_000));
        Assert.Equal((1, 0, 1), (overlapping.Imported, overlapping.Merged, overlapping.Duplicates));

        Assert.Equal(4, f.Db.Queries.CountPlays("alex"));
        Assert.Equal(4, f.Log().Count);
        Assert.Equal(120_000, f.Plays().Single(p => p.PlayedAt == T0).MsPlayed);
        Assert.Equal(0, f.Scalar("SELECT count(*) FROM pragma_foreign_key_check;"));
    }

    [Fact]
    public void ARowKeptByNameIsStillADuplicateOnceItsRealTrackIsKnown()
    {
        using var f = new Fixture();
        var byName = Account("Night Drive", "The Band", T0, 200_000);
        Assert.Equal(1, f.Import(ImportFormat.AccountData, byName).Imported);

        // An extended export names the real track later: the same account-data row now matches it by name, and is
        // still the play stored before on the name-only track (a re-import adds nothing).
        Assert.Equal(1, f.Import(ImportFormat.ExtendedHistory, Extended("night", T0.AddDays(-3), 200_000, "Night Drive", "The Band")).Imported);
        var again = f.Import(ImportFormat.AccountData, byName);

        Assert.Equal((0, 1), (again.Imported, again.Duplicates));
        Assert.Equal(2, f.Db.Queries.CountPlays("alex"));
    }

    [Fact]
    public void BeforeCommitRunsInTheBatchsTransactionAndItsFailureStoresNothing()
    {
        using var f = new Fixture();
        ImportBatchResult? seen = null;
        var result = f.Importer.Import("alex", ImportFormat.ExtendedHistory, [Extended("c1", T0, 200_000), Extended("c2", T0.AddMinutes(4), 200_000)], (transaction, batch) =>
        {
            using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO app_state (key, value, updated_at) VALUES ('checkpoint', 'c2', 0);";
            command.ExecuteNonQuery();
            seen = batch;
        });
        Assert.Equal(result, seen);
        Assert.Equal(1, f.Scalar("SELECT count(*) FROM app_state WHERE key = 'checkpoint';"));

        Assert.Throws<InvalidOperationException>(() => f.Importer.Import("alex", ImportFormat.ExtendedHistory, [Extended("c3", T0.AddMinutes(8), 200_000)], (_, _) => throw new InvalidOperationException("checkpoint refused")));
        Assert.Equal(2, f.Db.Queries.CountPlays("alex"));
        Assert.Equal(2, f.Log().Count);
        Assert.Equal(1, f.Import(ImportFormat.ExtendedHistory, Extended("c3", T0.AddMinutes(8), 200_000)).Imported);
    }

    [Fact]
    public void AccountDataIsMatchedToKnownTracksByNormalisedNamesAndKeptByNameWhenUnmatched()
    {
        using var f = new Fixture();
        var known = TestDatabase.Track("k1", "Héroes - 2017 Remaster", "David Bowie");
        f.Poll(known, T0);

        var result = f.Import(
            ImportFormat.AccountData,
            Account("heroes", "DAVID BOWIE", T0.AddDays(-1), 200_000),
            Account("Unknown Song (feat. Someone)", "Nobody Known", T0.AddDays(-2), 200_000),
            Account("Unknown Song", "Nobody Known", T0.AddDays(-3), 200_000));

        Assert.Equal(3, result.Imported);
        var plays = f.Plays();
        Assert.Equal("spotify:track:k1", plays.Single(p => p.PlayedAt == T0.AddDays(-1)).Track.Uri);
        Assert.Equal(PlaySource.ImportAccountData, plays.Single(p => p.PlayedAt == T0.AddDays(-1)).Source);
        var nameOnly = plays.Where(p => p.PlayedAt < T0.AddDays(-1)).Select(p => p.Track).ToList();
        Assert.All(nameOnly, t => Assert.StartsWith("spotify:imported:", t.Uri, StringComparison.Ordinal));
        Assert.Single(nameOnly.Select(t => t.Uri).Distinct());
        Assert.Equal("Nobody Known", nameOnly[0].Artists.Single().Name);
        Assert.Null(nameOnly[0].SpotifyId);

        var top = f.Stats().Top(TopKind.Tracks, new StatsRequest(null, null, "UTC"));
        Assert.Equal([2, 2], top.Items.Select(i => i.Plays));
    }

    [Fact]
    public void ArtistNamesAreMatchedToKnownArtistsSoTopArtistsNeverListOneTwice()
    {
        using var f = new Fixture();
        f.Poll(TestDatabase.Track("p1", "Polled", "Beyoncé"), T0);

        // An unknown track by the polled artist (spelt otherwise), then an artist first met in an import and polled
        // later: both end up one artist each.
        f.Import(ImportFormat.ExtendedHistory, Extended("i1", T0.AddDays(-1), 200_000, "Imported", "BEYONCE"), Extended("i2", T0.AddDays(-2), 200_000, "Early", "Röyksopp"));
        f.Poll(TestDatabase.Track("p2", "Later", "Royksopp"), T0.AddMinutes(10));

        var top = f.Stats().Top(TopKind.Artists, new StatsRequest(null, null, "UTC"));
        Assert.Equal([("Beyoncé", 2L), ("Royksopp", 2L)], top.Items.Select(i => (i.Name, i.Plays)));
        Assert.Equal("artist-Royksopp", top.Items[1].SpotifyId);
        Assert.Equal(2, f.Scalar("SELECT count(*) FROM artists;"));
    }

    [Fact]
    public void AlbumNamesOfUnknownTracksAreMatchedOrKeptByName()
    {
        using var f = new Fixture();
        f.Import(
            ImportFormat.ExtendedHistory,
            Extended("a1", T0.AddDays(-1), 200_000, "One", "Band", "Record"),
            Extended("a2", T0.AddDays(-2), 200_000, "Two", "Band", "RECORD"),
            Extended("a3", T0.AddDays(-3), 200_000, "Three", "Other Band", "Record"));

        var top = f.Stats().Top(TopKind.Albums, new StatsRequest(null, null, "UTC"));
        Assert.Equal([2L, 1L], top.Items.Select(i => i.Plays));
        Assert.All(top.Items, i => Assert.Equal("Record", i.Name));
    }

    [Fact]
    public void PlaysUnderThirtySecondsAreSkipsCountedApart()
    {
        using var f = new Fixture();
        f.Import(
            ImportFormat.ExtendedHistory,
            Extended("s1", T0.AddMinutes(-10), 29_999),
            Extended("s1", T0.AddMinutes(-5), 30_000),
            Extended("s2", T0.AddMinutes(-3), 0));
        f.Poll(TestDatabase.Track("s3"), T0);   // estimated: never a skip

        var engine = f.Stats();
        var all = new StatsRequest(null, null, "UTC");
        var summary = engine.Summary(all);
        Assert.Equal(2, summary.Plays);
        Assert.Equal(2, summary.Skips);
        Assert.Equal(new ListeningTime(230_000, 30_000, 200_000), summary.Time);
        Assert.Equal(2, summary.DistinctTracks);
        Assert.Equal(["Song", "Song"], engine.Top(TopKind.Tracks, all).Items.Select(i => i.Name));
        Assert.Equal(1, engine.Summary(all with { From = T0.AddMinutes(-7), To = T0.AddMinutes(-1) }).Skips);
        Assert.Equal(4, f.Db.Queries.CountPlays("alex"));   // every row is stored with its ms_played
    }

    [Fact]
    public void EpisodesAndAudiobooksAreStoredAsTheirOwnKindsListedAndLeftOutOfMusicStats()
    {
        using var f = new Fixture();
        var result = f.Import(
            ImportFormat.ExtendedHistory,
            new ImportedPlay(0, ImportedKind.Episode, T0.AddHours(-2), 1_800_000, "spotify:episode:e1", "Episode One", "The Show", "The Show", null, null),
            new ImportedPlay(1, ImportedKind.Episode, T0.AddHours(-1), 600_000, null, "Episode Two", "The Show", "The Show", null, null),
            new ImportedPlay(2, ImportedKind.Audiobook, T0.AddMinutes(-30), 900_000, "spotify:chapter:c1", "Chapter 1", null, "A Book", null, null),
            Extended("m1", T0, 200_000),
            new ImportedPlay(4, ImportedKind.Episode, T0.AddMinutes(1), 1_000, null, null, null, null, null, null));

        Assert.Equal(4, result.Imported);
        Assert.Equal(1, result.Skipped["no episode name"]);
        Assert.Equal(4, f.Plays().Count);
        Assert.Equal("The Show", f.Plays().Single(p => p.Track.Uri == "spotify:episode:e1").Track.AlbumName);
        Assert.Equal(1, f.Log().Count);
        Assert.Equal(1, f.Stats().Summary(new StatsRequest(null, null, "UTC")).Plays);
        Assert.Equal(0, f.Scalar("SELECT count(*) FROM pragma_foreign_key_check;"));

        var podcasts = f.Db.Queries.GetListeningBeyondMusic("alex", null, null)!;
        Assert.Equal(new KindSummary(2, 2_400_000, 1), podcasts.Episodes);
        Assert.Equal(new KindSummary(1, 900_000, 1), podcasts.Audiobooks);
        Assert.Equal("The Show", Assert.Single(podcasts.TopShows).Name);
        Assert.Equal(2, podcasts.TopShows[0].Plays);
    }

    [Fact]
    public void RowsWithoutANameAreSkippedWithTheReasonAndAFailedBatchStoresNothing()
    {
        using var f = new Fixture();
        var result = f.Import(ImportFormat.ExtendedHistory, new ImportedPlay(0, ImportedKind.Track, T0, 100_000, null, null, null, null, null, null));
        Assert.Equal(1, result.Skipped["no track name"]);
        Assert.Equal(0, result.Imported);

        Assert.Throws<UnknownAccountException>(() => f.Importer.Import("ghost", ImportFormat.ExtendedHistory, [Extended("g", T0, 100_000)]));
        Assert.Equal(0, f.Scalar("SELECT count(*) FROM tracks WHERE uri = 'spotify:track:g';"));

        // A batch that fails part-way (here: the database refuses writes) stores none of its rows, and the importer
        // is usable again afterwards.
        f.Db.Database.MaxPageCount = f.Scalar("PRAGMA page_count;");
        var many = Enumerable.Range(0, 5_000).Select(i => Extended("f" + i, T0.AddMinutes(-i), 100_000, "Name " + i, "Artist " + i, "Album " + i)).ToArray();
        Assert.Throws<SqliteException>(() => f.Import(ImportFormat.ExtendedHistory, many));
        Assert.Equal(0, f.Db.Queries.CountPlays("alex"));
        f.Db.Database.MaxPageCount = null;
        Assert.Equal(5_000, f.Import(ImportFormat.ExtendedHistory, many).Imported);
        Assert.Equal(5_000, f.Log().Count);

        // Imports run with SQLite's foreign-key checks off (their ids hold by construction): they hold, and the
        // writer's own batches check them again afterwards, also after a failed import.
        Assert.Equal(0, f.Scalar("SELECT count(*) FROM pragma_foreign_key_check;"));
        Assert.Equal(1, f.Writer.ForeignKeysEnforced());
    }

    [Fact]
    public void BeforeCommitRunsInTheBatchTransactionWithItsResultAndAThrowStoresNothing()
    {
        using var f = new Fixture();
        ImportBatchResult? seen = null;
        var result = f.Importer.Import("alex", ImportFormat.ExtendedHistory, [Extended("c1", T0, 100_000), Extended("c1", T0, 100_000)], (transaction, batch) =>
        {
            seen = batch;
            using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO app_state (key, value, updated_at) VALUES ('import-progress', 'batch 1', 0);";
            command.ExecuteNonQuery();
        });

        Assert.Same(result, seen);
        Assert.Equal((1, 1), (result.Imported, result.Duplicates));
        Assert.Equal(1, f.Scalar("SELECT count(*) FROM app_state WHERE key = 'import-progress';"));

        // The progress cannot be recorded: the rows are not stored either.
        Assert.Throws<InvalidOperationException>(() => f.Importer.Import("alex", ImportFormat.ExtendedHistory, [Extended("c2", T0.AddMinutes(5), 100_000)], (_, _) => throw new InvalidOperationException("no progress")));
        Assert.Equal(1, f.Db.Queries.CountPlays("alex"));
        Assert.Equal(1, f.Log().Count);
        Assert.Equal(1, f.Import(ImportFormat.ExtendedHistory, Extended("c2", T0.AddMinutes(5), 100_000)).Imported);
    }

    [Fact]
    public void OurOwnFormatRestoresThePlayExactly()
    {
        using var f = new Fixture();
        var exact = new PlayRecord(T0, TestDatabase.Track("x1", "Exact", "Artist"), null, "spotify:playlist:p", "playlist", PlaySource.RecentlyPlayed);
        var row = new ImportedPlay(0, ImportedKind.Track, T0, 0, exact.Track.Uri, "Exact", "Artist", null, null, exact);

        Assert.Equal(1, f.Import(ImportFormat.OrleansSpotify, row).Imported);
        Assert.Equal(1, f.Import(ImportFormat.OrleansSpotify, row).Duplicates);
        var play = Assert.Single(f.Plays());
        Assert.Equal((T0, PlaySource.RecentlyPlayed, "spotify:playlist:p", (long?)null, "Album x1"), (play.PlayedAt, play.Source, play.ContextUri, play.MsPlayed, play.Track.AlbumName));
    }
}

public sealed class ImportMigrationTests
{
    [Fact]
    public void ADatabaseOfVersionFiveGainsTheImportColumnsAndKeepsItsPlays()
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleans-spotify-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var options = new StorageOptions { DataDirectory = directory };
        try
        {
            // tracks and plays as version 5 made them, with one polled play, and versions 1-5 recorded.
            using (var connection = new SqliteConnection(options.ConnectionString))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
                    INSERT INTO schema_version VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0);
                    CREATE TABLE tracks (id INTEGER PRIMARY KEY, uri TEXT NOT NULL UNIQUE, spotify_id TEXT, name TEXT NOT NULL, duration_ms INTEGER NOT NULL,
                        explicit INTEGER NOT NULL DEFAULT 0, is_local INTEGER NOT NULL DEFAULT 0, isrc TEXT, album_id INTEGER);
                    CREATE TABLE plays (account_id INTEGER NOT NULL, played_at INTEGER NOT NULL, track_id INTEGER NOT NULL, ms_played INTEGER,
                        context_id INTEGER, source_id INTEGER NOT NULL, PRIMARY KEY (account_id, played_at, track_id)) WITHOUT ROWID;
                    CREATE TABLE accounts (id INTEGER PRIMARY KEY, account_key TEXT NOT NULL UNIQUE, spotify_user_id TEXT NOT NULL, display_name TEXT NOT NULL,
                        status TEXT NOT NULL DEFAULT 'active', status_detail TEXT, authorized_at INTEGER NOT NULL, share_stats INTEGER NOT NULL DEFAULT 1,
                        time_zone TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                    INSERT INTO accounts (id, account_key, spotify_user_id, display_name, authorized_at, created_at, updated_at) VALUES (1, 'alex', 'alex', 'Alex', 0, 0, 0);
                    INSERT INTO tracks (id, uri, spotify_id, name, duration_ms) VALUES (1, 'spotify:track:old', 'old', 'Old', 200000);
                    INSERT INTO plays VALUES (1, 1795075200000, 1, NULL, NULL, 1);
                    """;
                command.ExecuteNonQuery();
            }

            SqliteConnection.ClearAllPools();
            var database = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteDatabase>.Instance);
            database.Initialize();
            using (var writer = new PlayWriter(database))
            using (var importer = new PlayImporter(writer))
            {
                var row = new ImportedPlay(0, ImportedKind.Track, DateTimeOffset.FromUnixTimeMilliseconds(1795075200000).AddSeconds(-30), 190_000, "spotify:track:old", "Old", "Someone", null,
                    new ListeningDetails("trackdone", "trackdone", null, null, null, null, null, "web"), null);
                Assert.Equal(1, importer.Import("alex", ImportFormat.ExtendedHistory, [row]).Merged);
            }

            var play = Assert.Single(new PlayQueries(database).GetPlays("alex", null, null, null, 10)!.Plays);
            Assert.Equal(190_000, play.MsPlayed);
            using var check = database.Open();
            using var version = check.CreateCommand();
            version.CommandText = "SELECT count(*) FROM schema_version WHERE version = 6;";
            Assert.Equal(1L, version.ExecuteScalar());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
