using System.Collections.Immutable;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains.Tests;

[Collection(SharedClusterCollection.Name)]
public sealed class StatsGrainTests(SharedCluster shared)
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;
    private static readonly StatsRequest AllTime = new(null, null, "UTC");

    [Fact]
    public async Task AStatIsServedFromCacheUntilNewPlaysAreCommittedThenChangesAtOnce()
    {
        var h = shared.Harness;
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("cache-a", "cache-a", "A", now, now);
        await shared.ClaimHouseholdAsync("cache-a");
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        var stats = h.Client.GetGrain<IAccountStatsGrain>("cache-a");
        var household = h.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey);

        await storage.RecordPlaysAsync("cache-a", Plays("cache-a", 0, 5));
        Assert.Equal(5, (await stats.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(5, (await household.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(1, await stats.GetCachedAnswerCountAsync());

        // Plays written behind the grains' back (no commit notice): the cached answer is what comes back.
        using (var writer = new PlayWriter(h.Database))
        {
            writer.Write([.. Plays("cache-a", 100, 3).Select(p => new PendingPlay("cache-a", p))]);
        }

        Assert.Equal(5, (await stats.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(5, (await household.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(1, await stats.GetCachedAnswerCountAsync());

        // A commit through the storage grain invalidates: the very next question sees every stored play.
        await storage.RecordPlaysAsync("cache-a", Plays("cache-a", 200, 2));
        Assert.Equal(10, (await stats.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(10, (await household.GetSummaryAsync(AllTime)).Plays);

        // A re-read that inserts nothing new does not invalidate.
        await stats.GetTopAsync(TopKind.Tracks, AllTime);
        Assert.Equal(2, await stats.GetCachedAnswerCountAsync());
        Assert.Equal(0, await storage.RecordPlaysAsync("cache-a", Plays("cache-a", 200, 2)));
        Assert.Equal(2, await stats.GetCachedAnswerCountAsync());
    }

    [Fact]
    public async Task APrivateMemberIsLeftOutOfEveryHouseholdAnswer()
    {
        var h = shared.Harness;
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("private-a", "private-a", "A", now, now);
        h.Accounts.Upsert("private-b", "private-b", "B", now, now);
        await shared.ClaimHouseholdAsync("private-a", "private-b");
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        var household = h.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey);
        await storage.RecordPlaysAsync("private-a", Plays("private-a", 0, 4));
        await storage.RecordPlaysAsync("private-b", Plays("private-b", 0, 7));

        Assert.Equal(11, (await household.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(["private-b", "private-a"], (await household.GetLeaderboardAsync(AllTime)).Members.Select(m => m.AccountId));

        h.Accounts.SetSharing("private-b", share: false, now);
        await household.ChangedAsync();

        Assert.Equal(4, (await household.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(["private-a"], (await household.GetLeaderboardAsync(AllTime)).Members.Select(m => m.AccountId));
        Assert.Empty((await household.GetAffinityAsync(AllTime)).Pairs);
        Assert.DoesNotContain((await household.GetTopAsync(TopKind.Tracks, AllTime with { Limit = 100 })).Items, i => i.Name.StartsWith("private-b-", StringComparison.Ordinal));
    }

    private static ImmutableArray<PlayRecord> Plays(string account, int first, int count) =>
    [
        .. Enumerable.Range(first, count).Select(i => new PlayRecord(
            T0.AddMinutes(-4 * (i + 1)),
            new TrackInfo($"spotify:track:{account}{i}", $"{account}{i}", $"{account}-song-{i}", 180_000, false, false, null,
                new AlbumInfo($"album-{account}", "Album " + account, "album", "2024", null),
                [new ArtistInfo($"artist-{account}", "Artist " + account)]),
            null,
            null,
            null,
            PlaySource.RecentlyPlayed)),
    ];
}
