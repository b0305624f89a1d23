using System.Collections.Immutable;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains.Tests;

/// <summary>Both stats grains answer the shared four through <see cref="IStatsReader"/>, under aliases of their own.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class StatsReaderTests(SharedCluster shared)
{
    private static readonly StatsRequest AllTime = new(null, null, "UTC");

    [Fact]
    public async Task AnAccountAndAHouseholdOfThatAccountAloneAnswerTheSharedStatsAlike()
    {
        var h = shared.Harness;
        var now = h.Clock.GetUtcNow();
        h.Accounts.Upsert("solo", "solo", "Solo", now, now);
        await shared.ClaimHouseholdAsync("solo");
        await h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey).RecordPlaysAsync("solo", Plays(12));

        IStatsReader[] readers = [h.Client.GetGrain<IAccountStatsGrain>("solo"), h.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey)];
        var summaries = await Task.WhenAll(readers.Select(r => r.GetSummaryAsync(AllTime)));
        var heatmaps = await Task.WhenAll(readers.Select(r => r.GetHeatmapAsync(AllTime)));
        var timelines = await Task.WhenAll(readers.Select(r => r.GetTimelineAsync(AllTime)));
        var tops = await Task.WhenAll(readers.Select(r => r.GetTopAsync(TopKind.Tracks, AllTime with { Limit = 50 })));

        Assert.Equal(12, summaries[0].Plays);
        Assert.Equal(summaries[0], summaries[1]);
        Assert.Equal(12, heatmaps[0].Plays.Sum(day => day.Sum()));
        Assert.Equal(heatmaps[0].Plays, heatmaps[1].Plays);
        Assert.Equal(heatmaps[0].Ms, heatmaps[1].Ms);
        Assert.Equal(timelines[0].Points, timelines[1].Points);
        Assert.Equal(12, tops[0].Items.Count);
        Assert.Equal(tops[0].Items.Select(i => (i.Name, i.Plays)), tops[1].Items.Select(i => (i.Name, i.Plays)));

        // The household's entries say who played them; one account's do not.
        Assert.All(tops[0].Items, i => Assert.Null(i.Contributors));
        Assert.All(tops[1].Items, i => Assert.Equal("solo", Assert.Single(i.Contributors!).AccountId));
    }

    [Fact]
    public void TheSharedMethodsAreCalledUnderTheReadersAliasesAndEveryStatsCallAliasIsUnique()
    {
        // Orleans names a call by the interface that declares the method ("inv", proxy base, interface, method alias):
        // the shared four are one set of calls, whichever grain is asked.
        var calls = typeof(IStatsReader).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(CompoundTypeAliasAttribute), inherit: false).Cast<CompoundTypeAliasAttribute>())
            .Select(a => a.Components)
            .Where(c => c.Length == 4 && Equals(c[0], "inv") && c[2] is Type i && i.Name.Contains("Stats", StringComparison.Ordinal))
            .Select(c => $"{((Type)c[2]).Name}/{c[3]}")
            .ToList();

        Assert.Equal(calls.Count, calls.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(
            [
                "IAccountStatsGrain/CachedAnswers", "IAccountStatsGrain/Discoveries", "IAccountStatsGrain/Genres",
                "IAccountStatsGrain/PlaysCommitted", "IAccountStatsGrain/Sessions", "IAccountStatsGrain/Streaks",
                "IAccountStatsGrain/YearReview",
                "IHouseholdStatsGrain/Affinity", "IHouseholdStatsGrain/Changed", "IHouseholdStatsGrain/Leaderboard",
                "IStatsReader/Heatmap", "IStatsReader/Summary", "IStatsReader/Timeline", "IStatsReader/Top",
            ],
            calls.Order(StringComparer.Ordinal));
    }

    private static ImmutableArray<PlayRecord> Plays(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new PlayRecord(
            ListenerHarness.Start.AddMinutes(-37 * (i + 1)),
            new TrackInfo($"spotify:track:solo{i}", $"solo{i}", $"solo-song-{i}", 180_000 + (i * 1_000), false, false, null,
                new AlbumInfo($"album-solo-{i % 3}", "Album " + (i % 3), "album", "2024", null),
                [new ArtistInfo($"artist-solo-{i % 4}", "Artist " + (i % 4))]),
            null,
            null,
            null,
            PlaySource.RecentlyPlayed)),
    ];
}
