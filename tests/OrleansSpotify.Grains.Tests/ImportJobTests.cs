using System.Collections.Immutable;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains.Import;
using OrleansSpotify.Import;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Export;
using OrleansSpotify.Storage.Import;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Grains.Tests;

/// <summary>
/// Import jobs end to end in a silo: generated exports of every format through <see cref="ImportJobLauncher"/> and
/// <see cref="IImportJobGrain"/> into SQLite, the stats grains told, re-imports and polled plays deduplicated, and a
/// job interrupted (its silo stopped, the database refusing writes) ending exactly as an uninterrupted one.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ImportJobTests(SharedCluster shared)
{
    private static readonly StatsRequest AllTime = new(null, null, "UTC");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AJobImportsEveryFormatTheStatsKnowAtOnceAndAReImportAddsNothing()
    {
        var h = shared.Harness;
        AddAccount(h, "job-all");
        AddAccount(h, "job-copy");
        var extended = ExtendedZip(seed: 10, rows: 2_500, new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var accountData = AccountZip(seed: 11, rows: 1_500, new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var stats = h.Client.GetGrain<IAccountStatsGrain>("job-all");
        Assert.Equal(0, (await stats.GetSummaryAsync(AllTime)).Plays);

        var accepted = await Launcher(h).CreateAsync("job-all", [("my_spotify_data.zip", new MemoryStream(extended)), ("my_spotify_data (1).zip", new MemoryStream(accountData))], Ct);

        Assert.Contains(accepted.Files, f => f.Format == ImportFormat.ExtendedHistory);
        Assert.Contains(accepted.Files, f => f.Format == ImportFormat.AccountData);
        Assert.Contains(accepted.SkippedEntries, e => e.Name.EndsWith(".pdf", StringComparison.Ordinal));
        Assert.Contains(accepted.SkippedEntries, e => e.Name.EndsWith("Userdata.json", StringComparison.Ordinal));
        Assert.Equal(2_500 + AccountRows(11, 1_500, new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero)), accepted.Files.Sum(f => f.Rows));
        var done = await h.Events.ImportEndedAsync(accepted.JobId);
        Assert.Equal(ImportJobState.Done, done.State);
        Assert.Null(done.Error);
        AssertComplete(done);
        Assert.True(done.Files.Sum(f => f.Imported) > 3_000, Report(done));
        Assert.False(Directory.Exists(Jobs(h).DirectoryOf(accepted.JobId)));

        // The stats grain answers with the imported plays as soon as the job has ended.
        var summary = await stats.GetSummaryAsync(AllTime);
        Assert.Equal(MusicPlays(h, "job-all"), summary.Plays + summary.Skips);
        Assert.True(summary.Plays > 1_000, $"{summary.Plays} plays");
        var stored = Plays(h, "job-all");

        var again = await Launcher(h).CreateAsync("job-all", [("my_spotify_data.zip", new MemoryStream(extended)), ("my_spotify_data (1).zip", new MemoryStream(accountData))], Ct);
        var second = await h.Events.ImportEndedAsync(again.JobId);
        Assert.Equal(ImportJobState.Done, second.State);
        AssertComplete(second);
        Assert.Equal(0, second.Files.Sum(f => f.Imported + f.Merged));
        Assert.Equal(stored, Plays(h, "job-all"));

        // This service's own json export, imported by a job into an empty account, gives the same plays and stats.
        using var json = new MemoryStream();
        var writer = PlayExportWriter.For(ExportFormat.Json);
        var exported = new ExportAccount("job-all", "job-all");
        await writer.WriteAsync(new ExportDocument([exported], ListenerHarness.Start, "1.0.0"), new PlayExport(h.Database).Read([exported], writer.Order, Ct), json, Ct);
        json.Position = 0;
        var copy = await Launcher(h).CreateAsync("job-copy", [("orleans-spotify-job-all.json", json)], Ct);
        var copied = await h.Events.ImportEndedAsync(copy.JobId);
        Assert.Equal(ImportJobState.Done, copied.State);
        Assert.Equal(ImportFormat.OrleansSpotify, Assert.Single(copied.Files).Format);
        Assert.Equal(stored.Count, copied.Files[0].Imported);
        // (Listening details — reasons, platform, offline — are not in the json export yet: compared without them.)
        Assert.Equal(Plays(h, "job-all", details: false), Plays(h, "job-copy", details: false));
        // (Its stats are Part D's round trip: the json export does not carry a play's kind yet, so episodes count as music.)
        Assert.Equal(2, Jobs(h).List("job-all").Count);
        Assert.Equal(again.JobId, Jobs(h).List("job-all")[0].JobId);
    }

    [Fact]
    public async Task ARowOfAPolledPlayIsMergedIntoItAndOtherTracksNever()
    {
        var h = shared.Harness;
        AddAccount(h, "job-polled");
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        await storage.RecordPlaysAsync("job-polled", [new PlayRecord(at, Track("jp-1"), null, null, null, PlaySource.RecentlyPlayed)]);

        var history = $$"""
            [
              {"ts": "{{Ts(at.AddSeconds(-20))}}", "ms_played": 95000, "spotify_track_uri": "spotify:track:jp-1", "master_metadata_track_name": "Song jp-1", "master_metadata_album_artist_name": "Artist jp-1"},
              {"ts": "{{Ts(at.AddSeconds(-20))}}", "ms_played": 95000, "spotify_track_uri": "spotify:track:jp-2", "master_metadata_track_name": "Song jp-2", "master_metadata_album_artist_name": "Artist jp-2"},
              {"ts": "{{Ts(at.AddDays(1))}}", "ms_played": 200000, "spotify_track_uri": "spotify:track:jp-1", "master_metadata_track_name": "Song jp-1", "master_metadata_album_artist_name": "Artist jp-1"}
            ]
            """;
        var job = await Launcher(h).CreateAsync("job-polled", [("Streaming_History_Audio_2025.json", new MemoryStream(Encoding.UTF8.GetBytes(history)))], Ct);
        var done = await h.Events.ImportEndedAsync(job.JobId);

        var file = Assert.Single(done.Files);
        Assert.Equal((3L, 3L, 2L, 1L, 0L), (file.Rows, file.NextRecord, file.Imported, file.Merged, file.Duplicates));
        var plays = h.Queries.GetPlays("job-polled", null, null, null, 10)!.Plays;
        Assert.Equal(3, plays.Count);
        var polled = Assert.Single(plays, p => p.PlayedAt == at);
        Assert.Equal(95_000, polled.MsPlayed);
        Assert.Equal(PlaySource.RecentlyPlayed, polled.Source);
    }

    [Fact]
    public async Task ABatchOfferedAgainWithItsCheckpointIsNeitherStoredNorCountedTwice()
    {
        var h = shared.Harness;
        AddAccount(h, "job-replay");
        var jobs = Jobs(h);
        var jobId = ImportJobStore.NewId(h.Clock.GetUtcNow());
        jobs.Create(
            new ImportJobStatus(jobId, "job-replay", ImportJobState.Running, h.Clock.GetUtcNow(), null, null,
                [new ImportFileProgress("Streaming_History_Audio_2024.json", ImportFormat.ExtendedHistory, 6, 0, 0, 0, 0, ImmutableDictionary<string, long>.Empty)], [], null),
            []);
        var at = new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);
        ImmutableArray<ImportedPlay> first = [.. Enumerable.Range(0, 3).Select(i => Row(i, $"spotify:track:rp-{i}", at.AddMinutes(i * 5), 200_000))];
        ImmutableArray<ImportedPlay> second = [.. Enumerable.Range(3, 3).Select(i => Row(i, $"spotify:track:rp-{i}", at.AddMinutes(i * 5), i == 5 ? 10_000 : 200_000))];
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);

        Assert.Equal(3, (await storage.ImportAsync("job-replay", ImportFormat.ExtendedHistory, first, new ImportCheckpoint(jobId, 0, 3))).Imported);
        var replayed = await storage.ImportAsync("job-replay", ImportFormat.ExtendedHistory, first, new ImportCheckpoint(jobId, 0, 3));
        Assert.Equal((0, 3), (replayed.Imported, replayed.Duplicates));
        await storage.ImportAsync("job-replay", ImportFormat.ExtendedHistory, second, new ImportCheckpoint(jobId, 0, 6));

        var file = Assert.Single(jobs.Get(jobId)!.Files);
        Assert.Equal((6L, 6L, 0L, 0L), (file.NextRecord, file.Imported, file.Merged, file.Duplicates));
        Assert.Equal(6, h.Queries.CountPlays("job-replay"));

        // A checkpoint of a job that does not exist rolls its batch back: rows and progress commit together or not at all.
        await Assert.ThrowsAnyAsync<Exception>(() => storage.ImportAsync("job-replay", ImportFormat.ExtendedHistory, [Row(0, "spotify:track:rp-ghost", at.AddDays(1), 200_000)], new ImportCheckpoint("no-such-job", 0, 1)));
        Assert.Equal(6, h.Queries.CountPlays("job-replay"));
    }

    [Fact]
    public async Task FilesOnDiskAreCopiedIntoTheJobSoTheOriginalsMayGo()
    {
        var h = shared.Harness;
        AddAccount(h, "job-paths");
        var folder = Directory.CreateTempSubdirectory("orleans-spotify-import-paths-");
        try
        {
            var music = Path.Combine(folder.FullName, "StreamingHistory_music_0.json");
            await using (var file = File.Create(music))
            {
                ExportGenerator.WriteAccount(file, ExportGenerator.AccountRowsFrom(new ExportGenerator(13).ExtendedRows(300, new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero))).Where(r => !r.IsPodcast));
            }

            var zip = Path.Combine(folder.FullName, "my_spotify_data.zip");
            await File.WriteAllBytesAsync(zip, ExtendedZip(seed: 14, rows: 300, new DateTimeOffset(2016, 1, 1, 0, 0, 0, TimeSpan.Zero)), Ct);

            var job = await Launcher(h).CreateFromPathsAsync("job-paths", [music, zip], Ct);
            folder.Delete(recursive: true);
            var done = await h.Events.ImportEndedAsync(job.JobId);

            Assert.Equal(ImportJobState.Done, done.State);
            Assert.Equal("StreamingHistory_music_0.json", done.Files[0].Name);
            Assert.StartsWith("my_spotify_data.zip/", done.Files[1].Name, StringComparison.Ordinal);
            AssertComplete(done);
            Assert.Equal(done.Files.Sum(f => f.Imported + f.Merged), h.Queries.CountPlays("job-paths"));
        }
        finally
        {
            if (folder.Exists)
            {
                folder.Delete(recursive: true);
            }
        }
    }

    [Fact]
    public async Task ABadFileRefusesTheWholeUploadAndNothingIsRecorded()
    {
        var h = shared.Harness;
        AddAccount(h, "job-bad");
        var good = ExtendedZip(seed: 12, rows: 200, new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var truncated = Encoding.UTF8.GetBytes("""[{"ts": "2024-01-01T00:00:00Z", "ms_played": 1000, "spotify_track_uri": "spotify:track:x"}, {"ts": "2024-01""");

        var folders = Folders(h);
        var refused = await Assert.ThrowsAsync<ImportFormatException>(() => Launcher(h).CreateAsync(
            "job-bad", [("my_spotify_data.zip", new MemoryStream(good)), ("Streaming_History_Audio_2024.json", new MemoryStream(truncated))], Ct));

        Assert.Equal("Streaming_History_Audio_2024.json", refused.File);
        Assert.Equal(1, refused.Record);
        Assert.Empty(Jobs(h).List("job-bad"));
        Assert.Equal(0, h.Queries.CountPlays("job-bad"));
        Assert.Equal(folders, Folders(h));
        await Assert.ThrowsAsync<UnknownAccountException>(() => Launcher(h).CreateAsync("job-nobody", [("my_spotify_data.zip", new MemoryStream(good))], Ct));
        await Assert.ThrowsAsync<ImportFormatException>(() => Launcher(h).CreateFromPathsAsync("job-bad", [Path.Combine(Path.GetTempPath(), "no-such-export-" + Guid.NewGuid().ToString("N") + ".zip")], Ct));
    }

    [Fact]
    public async Task AJobStoppedWithItsSiloResumesAtStartAndEndsAsAnUninterruptedOne()
    {
        var export = ExtendedZip(seed: 20, rows: 20_000, new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero), rowsPerFile: 8_000);
        var (reference, referencePlays) = await UninterruptedAsync(export);
        await using var h = await ListenerHarness.StartAsync(configure: SmallBatches);
        AddAccount(h, "member");

        var job = await Launcher(h).CreateAsync("member", [("my_spotify_data.zip", new MemoryStream(export))], Ct);
        await h.Events.ImportAsync(job.JobId, s => s.Files.Sum(f => f.NextRecord) >= 300, "three batches");
        await h.Cluster.StopSiloAsync(h.Cluster.Silos[0], Ct);

        var interrupted = Jobs(h).Get(job.JobId)!;
        Assert.Equal(ImportJobState.Running, interrupted.State);
        Assert.InRange(interrupted.Files.Sum(f => f.NextRecord), 300, interrupted.Files.Sum(f => f.Rows) - 1);
        Assert.True(Directory.Exists(Jobs(h).DirectoryOf(job.JobId)));

        // What a crash leaves besides the job (a spooled upload part, the folder of an upload being checked) goes at start.
        var stray = Path.Combine(Jobs(h).ImportsDirectory, ".incoming");
        Directory.CreateDirectory(stray);
        await File.WriteAllTextAsync(Path.Combine(stray, "part"), "[]", Ct);
        Directory.CreateDirectory(Jobs(h).DirectoryOf(ImportJobStore.NewId(h.Clock.GetUtcNow())));

        // The new silo's start-up task resumes the job from its last committed batch.
        await h.Cluster.StartAdditionalSiloAsync();
        await h.Cluster.InitializeClientAsync(Ct);
        Assert.Equal([Jobs(h).DirectoryOf(job.JobId)], Folders(h));
        var resumed = await h.Events.ImportEndedAsync(job.JobId);

        Assert.Equal(ImportJobState.Done, resumed.State);
        Assert.Equal(interrupted.StartedAt, resumed.StartedAt);
        Assert.Equal(Report(reference), Report(resumed));
        Assert.Equal(referencePlays, Plays(h, "member"));
        Assert.False(Directory.Exists(Jobs(h).DirectoryOf(job.JobId)));
        var summary = await h.Client.GetGrain<IAccountStatsGrain>("member").GetSummaryAsync(AllTime);
        Assert.Equal(MusicPlays(h, "member"), summary.Plays + summary.Skips);
    }

    [Fact]
    public async Task AJobTheDatabaseRefusesPausesThenResumesAndEndsAsAnUninterruptedOne()
    {
        var export = ExtendedZip(seed: 21, rows: 20_000, new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero), rowsPerFile: 8_000);
        var (reference, referencePlays) = await UninterruptedAsync(export);
        await using var h = await ListenerHarness.StartAsync(configure: SmallBatches);
        AddAccount(h, "member");

        var database = h.SiloServices.GetRequiredService<SqliteDatabase>();
        var job = await Launcher(h).CreateAsync("member", [("my_spotify_data.zip", new MemoryStream(export))], Ct);
        await h.Events.ImportAsync(job.JobId, s => s.Files.Sum(f => f.NextRecord) >= 300, "three batches");
        database.MaxPageCount = 1; // the disk is full: the database stays at its size
        var paused = await h.Events.ImportAsync(job.JobId, s => s.Error is not null, "the pause");
        Assert.Equal(ImportJobState.Running, paused.State);
        Assert.StartsWith("Paused: ", paused.Error, StringComparison.Ordinal);
        var stalled = Jobs(h).Get(job.JobId)!;
        Assert.InRange(stalled.Files.Sum(f => f.NextRecord), 300, stalled.Files.Sum(f => f.Rows) - 1);

        // The retry timer was armed before the pause was announced: moving the clock past it resumes the job.
        database.MaxPageCount = null;
        h.Clock.Advance(RetryDelay);
        var resumed = await h.Events.ImportEndedAsync(job.JobId);

        Assert.Equal(ImportJobState.Done, resumed.State);
        Assert.Null(resumed.Error);
        Assert.Equal(Report(reference), Report(resumed));
        Assert.Equal(referencePlays, Plays(h, "member"));
    }

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>Batches of 100 rows, every batch announced, a refused write retried after <see cref="RetryDelay"/>.</summary>
    private static void SmallBatches(ListenerHarness h) => h.ConfigureImportJobs = o =>
    {
        o.BatchSize = 100;
        o.ProgressInterval = TimeSpan.Zero;
        o.RetryDelay = RetryDelay;
    };

    /// <summary>The export imported by one job, uninterrupted, into a fresh silo and database: its report and plays.</summary>
    private static async Task<(ImportJobStatus Report, List<string> Plays)> UninterruptedAsync(byte[] export)
    {
        await using var h = await ListenerHarness.StartAsync(configure: SmallBatches);
        AddAccount(h, "member");
        var job = await Launcher(h).CreateAsync("member", [("my_spotify_data.zip", new MemoryStream(export))], Ct);
        var done = await h.Events.ImportEndedAsync(job.JobId);
        Assert.Equal(ImportJobState.Done, done.State);
        return (done, Plays(h, "member"));
    }

    /// <summary>The job folders under the imports directory now.</summary>
    private static List<string> Folders(ListenerHarness h) =>
        Directory.Exists(Jobs(h).ImportsDirectory) ? [.. Directory.EnumerateDirectories(Jobs(h).ImportsDirectory).Order(StringComparer.Ordinal)] : [];

    private static ImportJobLauncher Launcher(ListenerHarness h) => h.SiloServices.GetRequiredService<ImportJobLauncher>();

    private static ImportJobStore Jobs(ListenerHarness h) => new(h.Database, Microsoft.Extensions.Options.Options.Create(h.StorageOptions));

    private static void AddAccount(ListenerHarness h, string key)
    {
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert(key, key, key, now, now);
    }

    private static byte[] ExtendedZip(int seed, int rows, DateTimeOffset start, int rowsPerFile = 1_000)
    {
        using var zip = new MemoryStream();
        new ExportGenerator(seed).WriteExtendedZip(zip, rows, start, rowsPerFile);
        return zip.ToArray();
    }

    private static byte[] AccountZip(int seed, int rows, DateTimeOffset start)
    {
        using var zip = new MemoryStream();
        ExportGenerator.WriteAccountZip(zip, ExportGenerator.AccountRowsFrom(new ExportGenerator(seed).ExtendedRows(rows, start)), rowsPerFile: 1_000);
        return zip.ToArray();
    }

    private static long AccountRows(int seed, int rows, DateTimeOffset start) =>
        ExportGenerator.AccountRowsFrom(new ExportGenerator(seed).ExtendedRows(rows, start)).LongCount();

    /// <summary>Every file read to its end, every row counted once.</summary>
    private static void AssertComplete(ImportJobStatus status) => Assert.All(status.Files, f =>
    {
        Assert.Equal(f.Rows, f.NextRecord);
        Assert.Equal(f.Rows, f.Imported + f.Merged + f.Duplicates + f.Skipped.Values.Sum());
    });

    private static string Report(ImportJobStatus status) => string.Join(
        Environment.NewLine,
        status.Files.Select(f => $"{f.Name} {f.Format} rows {f.Rows} read {f.NextRecord} imported {f.Imported} merged {f.Merged} duplicates {f.Duplicates} skipped {string.Join(",", f.Skipped.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"))}"));

    /// <summary>Every stored play of the account: end, track, ms played, source, kind, and its listening details; in order.</summary>
    private static List<string> Plays(ListenerHarness h, string account, bool details = true)
    {
        using var connection = h.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.played_at, t.uri, p.ms_played, p.source_id, t.kind, CASE WHEN $details THEN p.details END, CASE WHEN $details THEN p.offline_at END
            FROM plays p JOIN tracks t ON t.id = p.track_id JOIN accounts a ON a.id = p.account_id
            WHERE a.account_key = $key ORDER BY p.played_at, t.uri;
            """;
        command.Parameters.AddWithValue("$key", account);
        command.Parameters.AddWithValue("$details", details ? 1 : 0);
        using var reader = command.ExecuteReader();
        var plays = new List<string>();
        while (reader.Read())
        {
            plays.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return plays;
    }

    /// <summary>How many stored plays of the account are music (what the summary counts as plays or skips).</summary>
    private static long MusicPlays(ListenerHarness h, string account)
    {
        using var connection = h.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*) FROM plays p JOIN tracks t ON t.id = p.track_id JOIN accounts a ON a.id = p.account_id
            WHERE a.account_key = $key AND t.kind = 0;
            """;
        command.Parameters.AddWithValue("$key", account);
        return (long)command.ExecuteScalar()!;
    }

    private static string Ts(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static TrackInfo Track(string id) =>
        new("spotify:track:" + id, id, "Song " + id, 180_000, false, false, null, new AlbumInfo("album-" + id, "Album", "album", "2024", null), [new ArtistInfo("artist-" + id, "Artist " + id)]);

    private static ImportedPlay Row(long record, string uri, DateTimeOffset endedAt, long ms) =>
        new(record, ImportedKind.Track, endedAt, ms, uri, "Song " + uri, "Artist " + uri, "Album", null, null);
}
