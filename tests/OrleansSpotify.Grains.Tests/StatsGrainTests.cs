using System.Collections.Immutable;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains.Tests;

public sealed class StatsGrainTests
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;
    private static readonly StatsRequest AllTime = new(null, null, "UTC");

    [Fact]
    public async Task AStatIsServedFromCacheUntilNewPlaysAreCommittedThenChangesAtOnce()
    {
        await using var h = await ListenerHarness.StartAsync();
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("a", "a", "A", now, now);
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        var stats = h.Client.GetGrain<IAccountStatsGrain>("a");
        var household = h.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey);

        await storage.RecordPlaysAsync("a", Plays("a", 0, 5));
        Assert.Equal(5, (await stats.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(5, (await household.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(1, await stats.GetCachedAnswerCountAsync());

        // Plays written behind the grains' back (no commit notice): the cached answer is what comes back.
        using (var writer = new PlayWriter(h.Database))
        {
            writer.Write([.. Plays("a", 100, 3).Select(p => new PendingPlay("a", p))]);
        }

        Assert.Equal(5, (await stats.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(5, (await household.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(1, await stats.GetCachedAnswerCountAsync());

        // A commit through the storage grain invalidates: the very next question sees every stored play.
        await storage.RecordPlaysAsync("a", Plays("a", 200, 2));
        Assert.Equal(10, (await stats.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(10, (await household.GetSummaryAsync(AllTime)).Plays);

        // A re-read that inserts nothing new does not invalidate.
        await stats.GetTopAsync(TopKind.Tracks, AllTime);
        Assert.Equal(2, await stats.GetCachedAnswerCountAsync());
        Assert.Equal(0, await storage.RecordPlaysAsync("a", Plays("a", 200, 2)));
        Assert.Equal(2, await stats.GetCachedAnswerCountAsync());
    }

    [Fact]
    public async Task APrivateMemberIsLeftOutOfEveryHouseholdAnswer()
    {
        await using var h = await ListenerHarness.StartAsync();
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("a", "a", "A", now, now);
        h.Accounts.Upsert("b", "b", "B", now, now);
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        var household = h.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey);
        await storage.RecordPlaysAsync("a", Plays("a", 0, 4));
        await storage.RecordPlaysAsync("b", Plays("b", 0, 7));

        Assert.Equal(11, (await household.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(["b", "a"], (await household.GetLeaderboardAsync(AllTime)).Members.Select(m => m.AccountId));

        h.Accounts.SetSharing("b", share: false, now);
        await household.ChangedAsync();

        Assert.Equal(4, (await household.GetSummaryAsync(AllTime)).Plays);
        Assert.Equal(["a"], (await household.GetLeaderboardAsync(AllTime)).Members.Select(m => m.AccountId));
        Assert.Empty((await household.GetAffinityAsync(AllTime)).Pairs);
        Assert.DoesNotContain((await household.GetTopAsync(TopKind.Tracks, AllTime with { Limit = 100 })).Items, i => i.Name.StartsWith("b-", StringComparison.Ordinal));
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
