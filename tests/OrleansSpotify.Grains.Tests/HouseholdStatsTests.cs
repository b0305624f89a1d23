using System.Collections.Immutable;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>Household answers against a plain-LINQ oracle over the same plays.</summary>
public sealed class HouseholdStatsTests
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    [Fact]
    public async Task HouseholdTopsLeaderboardAndAffinityMatchAnIndependentComputation()
    {
        await using var h = await ListenerHarness.StartAsync();
        var now = h.Clock.GetUtcNow();
        var members = new[] { "a", "b", "c" };
        var random = new Random(42);
        var tracks = Enumerable.Range(0, 40).Select(i => Track(i, artist: i % 9)).ToArray();
        var plays = new Dictionary<string, List<PlayRecord>>();
        var storage = h.Client.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        foreach (var member in members)
        {
            h.Accounts.Upsert(member, member, member.ToUpperInvariant(), now, now);
            var bias = Array.IndexOf(members, member) * 10;
            plays[member] = [.. Enumerable.Range(0, 300).Select(i => new PlayRecord(
                T0.AddDays(-random.Next(0, 400)).AddMinutes(-random.Next(0, 1440)).AddMilliseconds(-i),
                tracks[(bias + (int)Math.Floor(Math.Pow(random.NextDouble(), 2) * 30)) % tracks.Length],
                random.Next(3) == 0 ? random.Next(1_000, 300_000) : null,
                null,
                null,
                PlaySource.ImportExtendedHistory))];
            foreach (var batch in plays[member].Chunk(50))
            {
                await storage.RecordPlaysAsync(member, [.. batch]);
            }
        }

        var household = h.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey);
        var from = T0.AddDays(-180);
        var request = new StatsRequest(from, T0, "Europe/Berlin", Limit: 15);

        static long Ms(PlayRecord p) => p.MsPlayed ?? p.Track.DurationMs;
        List<PlayRecord> InRange(IEnumerable<PlayRecord> source) => [.. source.Where(p => p.PlayedAt >= from && p.PlayedAt < T0)];

        // Top tracks over everyone's plays: plays desc, then time desc (ids follow first-seen order, so compare names
        // only where the two measures decide).
        var expectedTop = InRange(plays.Values.SelectMany(p => p))
            .GroupBy(p => p.Track.Name)
            .Select(g => (Name: g.Key, Plays: (long)g.Count(), Ms: g.Sum(Ms)))
            .OrderByDescending(g => g.Plays).ThenByDescending(g => g.Ms)
            .ToList();
        var top = await household.GetTopAsync(TopKind.Tracks, request with { Limit = 500 });
        Assert.Equal(expectedTop.Select(e => (e.Plays, e.Ms)), top.Items.Select(i => (i.Plays, i.Time.TotalMs)));
        Assert.Equal(expectedTop.Select(e => e.Name).ToHashSet(), top.Items.Select(i => i.Name).ToHashSet());

        var summary = await household.GetSummaryAsync(request);
        Assert.Equal(InRange(plays.Values.SelectMany(p => p)).Count, summary.Plays);

        var expectedBoard = members
            .Select(m => (Member: m, Plays: (long)InRange(plays[m]).Count, Ms: InRange(plays[m]).Sum(Ms)))
            .OrderByDescending(m => m.Ms).ThenByDescending(m => m.Plays)
            .ToList();
        var board = await household.GetLeaderboardAsync(request);
        Assert.Equal(expectedBoard.Select(b => (b.Member, b.Plays, b.Ms)), board.Members.Select(m => (m.AccountId, m.Plays, m.Time.TotalMs)));

        // Affinity: Jaccard of each pair's top-N primary artists and top-N tracks.
        HashSet<string> TopOf(string member, Func<PlayRecord, string> key) => [.. InRange(plays[member])
            .GroupBy(key).Select(g => (g.Key, Plays: g.Count(), Ms: g.Sum(Ms)))
            .OrderByDescending(g => g.Plays).ThenByDescending(g => g.Ms).Take(request.Limit).Select(g => g.Key)];
        static double Jaccard(HashSet<string> x, HashSet<string> y) => Math.Round((double)x.Intersect(y).Count() / x.Union(y).Count(), 4);
        var affinity = await household.GetAffinityAsync(request);
        Assert.Equal(3, affinity.Pairs.Count);
        foreach (var pair in affinity.Pairs)
        {
            Assert.Equal(Jaccard(TopOf(pair.AccountA, p => p.Track.Artists[0].Name), TopOf(pair.AccountB, p => p.Track.Artists[0].Name)), pair.Artists);
            Assert.Equal(Jaccard(TopOf(pair.AccountA, p => p.Track.Name), TopOf(pair.AccountB, p => p.Track.Name)), pair.Tracks);
        }
    }

    private static TrackInfo Track(int i, int artist) => new(
        $"spotify:track:t{i}", $"t{i}", $"Track {i:00}", 150_000 + (i * 3_001), false, false, null,
        new AlbumInfo($"al{i / 4}", $"Album {i / 4}", "album", "2020", null),
        ImmutableArray.Create(new ArtistInfo($"ar{artist}", $"Artist {artist}"), new ArtistInfo("feat", "Featured")));
}
