using System.Collections.Immutable;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

public sealed class StorageGrainTests
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    [Fact]
    public async Task CallersCompleteOnlyOnceTheirBatchIsCommittedInOneGroup()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h => h.FlushDelay = TimeSpan.FromSeconds(30));
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("a", "a", "A", now, now);
        h.Accounts.Upsert("b", "b", "B", now, now);
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);

        var first = storage.RecordPlaysAsync("a", Plays("a", 3));
        var second = storage.RecordPlaysAsync("b", Plays("b", 2));
        var repeat = storage.RecordPlaysAsync("a", Plays("a", 3));

        // The grain has the batch and waits for the flush delay on the (unadvanced) fake clock: nothing may be written.
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Equal(0, h.Queries.CountPlays("a"));

        await AdvanceUntilCompletedAsync(h, TimeSpan.FromSeconds(30), first, second, repeat);
        // The same three plays offered twice in one group are stored once and counted for one of the two callers:
        // calls sent at once may reach the grain in either order.
        int[] counts = [await first, await repeat];
        Assert.Equal([0, 3], counts.Order());
        Assert.Equal(2, await second);
        Assert.Equal(3, h.Queries.CountPlays("a"));
        Assert.Equal(2, h.Queries.CountPlays("b"));
    }

    [Fact]
    public async Task AFullBatchIsFlushedWithoutWaitingForTheDelay()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h => h.FlushDelay = TimeSpan.FromHours(1));
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("a", "a", "A", now, now);
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);

        // MaxBatchSize defaults to 500: a batch of that size does not wait for the hour.
        Assert.Equal(500, await storage.RecordPlaysAsync("a", Plays("a", 500)));
        Assert.Equal(500, h.Queries.CountPlays("a"));
    }

    [Fact]
    public async Task AnUnknownAccountFailsOnlyItsOwnCaller()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h => h.FlushDelay = TimeSpan.FromSeconds(1));
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("a", "a", "A", now, now);
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);

        var good = storage.RecordPlaysAsync("a", Plays("a", 4));
        var bad = storage.RecordPlaysAsync("ghost", Plays("ghost", 1));
        await AdvanceUntilCompletedAsync(h, TimeSpan.FromSeconds(1), good, bad);

        Assert.Equal(4, await good);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => bad);
        Assert.Contains("ghost", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, h.Queries.CountPlays("a"));
    }

    [Fact]
    public async Task BeyondItsBoundTheQueueRefusesAtOnceAndTheCallerMayOfferThePlaysAgain()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h =>
        {
            h.FlushDelay = TimeSpan.FromSeconds(30);
            h.MaxPendingPlays = 10;
        });
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("a", "a", "A", now, now);
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);

        var waiting = storage.RecordPlaysAsync("a", Plays("a", 6));

        // Two calls from one client may reach the grain in either order: the first must be queued before the second.
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.RecordPlaysAsync("a", Plays("b", 6)));
        Assert.Contains("6 plays already wait to be written (at most 10)", refused.Message, StringComparison.Ordinal);
        Assert.False(waiting.IsCompleted);

        await AdvanceUntilCompletedAsync(h, TimeSpan.FromSeconds(30), waiting);
        Assert.Equal(6, await waiting);

        // Offered again once the queue has room: stored, nothing lost.
        var again = storage.RecordPlaysAsync("a", Plays("b", 6));
        await AdvanceUntilCompletedAsync(h, TimeSpan.FromSeconds(30), again);
        Assert.Equal(6, await again);
        Assert.Equal(12, h.Queries.CountPlays("a"));
    }

    /// <summary>
    /// Advances the fake clock by <paramref name="step"/> until the tasks finish (the flush delay starts when the grain
    /// gets the call): after each step it waits for the tasks or for the grain to start another wait on the clock.
    /// </summary>
    private static async Task AdvanceUntilCompletedAsync(ListenerHarness h, TimeSpan step, params Task[] tasks)
    {
        var ct = TestContext.Current.CancellationToken;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        var all = Task.WhenAll(tasks);
        try
        {
            while (!all.IsCompleted)
            {
                h.Clock.Advance(step);
                await Task.WhenAny(all, h.Clock.TimersCreated.ReadAsync(bound.Token).AsTask()).WaitAsync(bound.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException("The storage grain's calls did not complete within 30 s of advancing the clock.");
        }
        finally
        {
            // A read still pending when the tasks won must not take the next test step's timer.
            await bound.CancelAsync();
        }
    }

    private static ImmutableArray<PlayRecord> Plays(string prefix, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new PlayRecord(
            T0.AddMinutes(-3 * (i + 1)),
            new TrackInfo($"spotify:track:{prefix}{i}", $"{prefix}{i}", $"Song {i}", 180_000, false, false, null,
                new AlbumInfo($"album-{prefix}", "Album", "album", "2024", null),
                [new ArtistInfo($"artist-{prefix}", "Artist " + prefix)]),
            null,
            null,
            null,
            PlaySource.RecentlyPlayed)),
    ];
}
