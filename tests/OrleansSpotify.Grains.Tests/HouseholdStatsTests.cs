using System.Collections.Immutable;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>Household answers against a plain-LINQ oracle over the same plays.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class HouseholdStatsTests(SharedCluster shared)
{
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    [Fact]
    public async Task HouseholdTopsLeaderboardAndAffinityMatchAnIndependentComputation()
    {
        var h = shared.Harness;
        var now = h.Clock.GetUtcNow();
        var members = new[] { "hh-a", "hh-b", "hh-c" };
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

        await shared.ClaimHouseholdAsync(members);
        var household = h.Client.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey);
        var from = T0.AddDays(-180);
        var request = new StatsRequest(from, T0, "Europe/Berlin", Limit: 15);

        // Plays reported under 30 s are skips: counted in the summary's skips, in no other stat.
        static bool IsSkip(PlayRecord p) => p.MsPlayed is < 30_000;
        var skips = plays.Values.SelectMany(p => p).Count(p => IsSkip(p) && p.PlayedAt >= from && p.PlayedAt < T0);
        Assert.True(skips > 0);
        Assert.Equal(skips, (await household.GetSummaryAsync(request)).Skips);
        foreach (var member in members)
        {
            plays[member] = [.. plays[member].Where(p => !IsSkip(p))];
        }

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

        // Who contributed to each household top entry (tracks, primary artists, albums): the members who played it in
        // the period, most plays first, then by account id.
        List<(string, long)> ContributorsOf(Func<PlayRecord, string> key, string name) => [.. members
            .Select(m => (m, Plays: (long)InRange(plays[m]).Count(p => key(p) == name)))
            .Where(c => c.Plays > 0)
            .OrderByDescending(c => c.Plays).ThenBy(c => c.m, StringComparer.Ordinal)];
        foreach (var (kind, key) in new (TopKind, Func<PlayRecord, string>)[]
        {
            (TopKind.Tracks, p => p.Track.Name), (TopKind.Artists, p => p.Track.Artists[0].Name), (TopKind.Albums, p => p.Track.Album!.Name),
        })
        {
            var tops = await household.GetTopAsync(kind, request);
            Assert.NotEmpty(tops.Items);
            Assert.All(tops.Items, item => Assert.Equal(
                ContributorsOf(key, item.Name),
                item.Contributors!.Select(c => (c.AccountId, c.Plays))));
            Assert.All(tops.Items, item => Assert.Equal(item.Plays, item.Contributors!.Sum(c => c.Plays)));
        }

        Assert.Contains(top.Items, i => i.Contributors!.Count > 1);

        // Summary, heatmap and timeline are computed over the members' logs side by side (never merged).
        var everyone = InRange(plays.Values.SelectMany(p => p));
        var summary = await household.GetSummaryAsync(request);
        Assert.Equal(everyone.Count, summary.Plays);
        Assert.Equal(everyone.Sum(Ms), summary.Time.TotalMs);
        Assert.Equal(everyone.Where(p => p.MsPlayed is not null).Sum(Ms), summary.Time.ReportedMs);
        Assert.Equal(everyone.Select(p => p.Track.Name).Distinct().Count(), summary.DistinctTracks);
        Assert.Equal(everyone.Select(p => p.Track.Artists[0].Name).Distinct().Count(), summary.DistinctArtists);
        Assert.Equal(everyone.Select(p => p.Track.Album!.Name).Distinct().Count(), summary.DistinctAlbums);
        Assert.Equal((everyone.Min(p => p.PlayedAt), everyone.Max(p => p.PlayedAt)), (summary.FirstPlay!.Value, summary.LastPlay!.Value));

        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var local = everyone.Select(p => (Play: p, At: TimeZoneInfo.ConvertTime(p.PlayedAt, berlin).DateTime)).ToList();
        var heatmap = await household.GetHeatmapAsync(request);
        foreach (var cell in local.GroupBy(l => (Day: ((int)l.At.DayOfWeek + 6) % 7, l.At.Hour)))
        {
            Assert.Equal(cell.Count(), heatmap.Plays[cell.Key.Day][cell.Key.Hour]);
            Assert.Equal(cell.Sum(c => Ms(c.Play)), heatmap.Ms[cell.Key.Day][cell.Key.Hour]);
        }

        Assert.Equal(everyone.Count, heatmap.Plays.Sum(day => day.Sum()));
        var timeline = await household.GetTimelineAsync(request with { Bucket = TimelineBucket.Week });
        var byWeek = local.GroupBy(l => DateOnly.FromDateTime(l.At).AddDays(-(((int)l.At.DayOfWeek + 6) % 7)))
            .ToDictionary(g => g.Key, g => (Plays: (long)g.Count(), Ms: g.Sum(c => Ms(c.Play))));
        Assert.Equal(everyone.Count, timeline.Points.Sum(p => p.Plays));
        Assert.All(timeline.Points, p => Assert.Equal(byWeek.GetValueOrDefault(p.Start), (p.Plays, p.Ms)));

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
            Assert.Equal(
                TopOf(pair.AccountA, p => p.Track.Artists[0].Name).Intersect(TopOf(pair.AccountB, p => p.Track.Artists[0].Name)).Order(),
                pair.SharedArtists.Order());
        }
    }

    private static TrackInfo Track(int i, int artist) => new(
        $"spotify:track:hh-t{i}", $"hh-t{i}", $"Track {i:00}", 150_000 + (i * 3_001), false, false, null,
        new AlbumInfo($"hh-al{i / 4}", $"Album {i / 4}", "album", "2020", null),
        ImmutableArray.Create(new ArtistInfo($"hh-ar{artist}", $"Artist {artist}"), new ArtistInfo("hh-feat", "Featured")));
}
