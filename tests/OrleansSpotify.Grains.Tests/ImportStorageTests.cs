using System.Collections.Immutable;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>IStorageGrain.ImportAsync: one transaction per batch through the single writer, stats told at once.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ImportStorageTests(SharedCluster shared)
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;
    private static readonly StatsRequest AllTime = new(null, null, "UTC");

    [Fact]
    public async Task AnImportBatchCommitsMergesWithPolledPlaysAndTheStatsChangeAtOnce()
    {
        var h = shared.Harness;
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("import-a", "import-a", "A", now, now);
        await shared.ClaimHouseholdAsync("import-a");
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        var stats = h.Client.GetGrain<IAccountStatsGrain>("import-a");
        var household = h.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey);

        var polled = Track("import-a-polled");
        await storage.RecordPlaysAsync("import-a", [new PlayRecord(T0, polled, null, null, null, PlaySource.RecentlyPlayed)]);
        var before = await stats.GetSummaryAsync(AllTime);
        Assert.Equal(1, before.Plays);
        Assert.Equal(180_000, before.Time.EstimatedMs);
        var householdBefore = (await household.GetSummaryAsync(AllTime)).Plays;

        ImmutableArray<ImportedPlay> rows =
        [
            Row(0, polled.Uri, T0.AddSeconds(-20), 95_000),                   // the polled play, with its real length
            .. Enumerable.Range(1, 3).Select(i => Row(i, $"spotify:track:import-a-{i}", T0.AddDays(-i), 200_000)),
            Row(4, "spotify:track:import-a-skip", T0.AddDays(-5), 12_000),   // a skip
        ];
        var result = await storage.ImportAsync("import-a", ImportFormat.ExtendedHistory, rows);

        Assert.Equal((4, 1, 0), (result.Imported, result.Merged, result.Duplicates));
        var after = await stats.GetSummaryAsync(AllTime);
        Assert.Equal(4, after.Plays);
        Assert.Equal(1, after.Skips);
        Assert.Equal(new ListeningTime(695_000, 695_000, 0), after.Time);
        Assert.Equal(householdBefore + 3, (await household.GetSummaryAsync(AllTime)).Plays);

        var again = await storage.ImportAsync("import-a", ImportFormat.ExtendedHistory, rows);
        Assert.Equal((0, 0, 5), (again.Imported, again.Merged, again.Duplicates));
        Assert.Equal(after, await stats.GetSummaryAsync(AllTime));
        await Assert.ThrowsAnyAsync<Exception>(() => storage.ImportAsync("import-ghost", ImportFormat.ExtendedHistory, rows));
    }

    [Fact]
    public async Task APolledPlayCommittedWhileImportBatchesQueueWaitsForAtMostOneOfThem()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h => h.FlushDelay = TimeSpan.FromSeconds(30));
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("a", "a", "A", now, now);
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        var ct = TestContext.Current.CancellationToken;

        // Hold SQLite's write lock so that no import batch can commit until the polled play waits for the writer.
        var imports = new List<Task<ImportBatchResult>>();
        Task<int> poll;
        Task<int> importsDoneWhenPolled;
        using (var connection = h.Database.Open())
        using (var holdAll = connection.BeginTransaction(deferred: false))
        {
            for (var batch = 0; batch < 3; batch++)
            {
                imports.Add(storage.ImportAsync("a", ImportFormat.ExtendedHistory, [.. Enumerable.Range(0, 5_000).Select(i => Row(i, $"spotify:track:b{batch}-{i}", T0.AddDays(-1 - batch).AddSeconds(-10 * i), 200_000))]));
            }

            poll = storage.RecordPlaysAsync("a", [new PlayRecord(T0, Track("live"), null, null, null, PlaySource.RecentlyPlayed)]);

            // The polled play is queued (its flush delay has started); once the delay is over its flush asks for the
            // writer. The next call to the grain is handled after that request (the grain's turns run in order).
            await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), ct);
            h.Clock.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(0, await storage.RecordPlaysAsync("a", []));
            Assert.False(poll.IsCompleted);
            importsDoneWhenPolled = poll.ContinueWith(_ => imports.Count(i => i.IsCompleted), ct, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            holdAll.Rollback();
        }

        Assert.Equal(1, await poll);
        Assert.InRange(await importsDoneWhenPolled, 0, 1);
        var results = await Task.WhenAll(imports).WaitAsync(TimeSpan.FromMinutes(2), ct);
        Assert.All(results, r => Assert.Equal(5_000, r.Imported));
        Assert.Equal(15_001, h.Queries.CountPlays("a"));
    }

    private static TrackInfo Track(string id) =>
        new("spotify:track:" + id, id, "Song " + id, 180_000, false, false, null, new AlbumInfo("album-" + id, "Album", "album", "2024", null), [new ArtistInfo("artist-" + id, "Artist " + id)]);

    private static ImportedPlay Row(long record, string uri, DateTimeOffset endedAt, long ms) =>
        new(record, ImportedKind.Track, endedAt, ms, uri, "Song " + uri, "Artist " + uri, "Album", null, null);
}
