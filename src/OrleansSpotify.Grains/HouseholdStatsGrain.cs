using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Grains;

/// <summary>
/// The household's stats over every member who shares theirs (a member's choice to keep their stats private
/// removes them from every household answer), cached per request until new plays or a sharing change arrive.
/// </summary>
public sealed class HouseholdStatsGrain(AccountStore accounts, PlayLogReader logs, CatalogCache catalog, TimeProvider timeProvider)
    : Grain, IHouseholdStatsGrain
{
    private readonly StatsCache _cache = new();
    private Members? _members;

    Task<SummaryStats> IHouseholdStatsGrain.GetSummaryAsync(StatsRequest request) =>
        Answer(("summary", request), () => Engine(Load().All, request).Summary(request));

    Task<TopList> IHouseholdStatsGrain.GetTopAsync(TopKind kind, StatsRequest request) =>
        Answer(("top", kind, request), () => Engine(Load().All, request).Top(kind, request));

    Task<Heatmap> IHouseholdStatsGrain.GetHeatmapAsync(StatsRequest request) =>
        Answer(("heatmap", request), () => Engine(Load().All, request).Heatmap(request));

    Task<Timeline> IHouseholdStatsGrain.GetTimelineAsync(StatsRequest request) =>
        Answer(("timeline", request), () => Engine(Load().All, request).Timeline(request));

    Task<Leaderboard> IHouseholdStatsGrain.GetLeaderboardAsync(StatsRequest request) => Answer(("leaderboard", request), () =>
    {
        var rows = Load().Each
            .Select(m => (m.Account, Summary: Engine(m.Log, request).Summary(request)))
            .OrderByDescending(r => r.Summary.Time.TotalMs).ThenByDescending(r => r.Summary.Plays).ThenBy(r => r.Account.AccountKey, StringComparer.Ordinal)
            .Select((r, i) => new LeaderboardEntry(i + 1, r.Account.AccountKey, r.Account.DisplayName, r.Summary.Plays, r.Summary.Time))
            .ToList();
        return new Leaderboard(rows);
    });

    Task<Affinity> IHouseholdStatsGrain.GetAffinityAsync(StatsRequest request) => Answer(("affinity", request), () =>
    {
        var tops = Load().Each.Select(m =>
        {
            var engine = Engine(m.Log, request);
            return (
                m.Account.AccountKey,
                Artists: engine.Top(TopKind.Artists, request).Items.Select(i => (Key: i.SpotifyId ?? i.Name, i.Name)).ToList(),
                Tracks: engine.Top(TopKind.Tracks, request).Items.Select(i => i.SpotifyId ?? i.Name).ToHashSet());
        }).ToList();

        var pairs = new List<AffinityPair>();
        for (var a = 0; a < tops.Count; a++)
        {
            for (var b = a + 1; b < tops.Count; b++)
            {
                var artistsA = tops[a].Artists.Select(x => x.Key).ToHashSet();
                var artistsB = tops[b].Artists.Select(x => x.Key).ToHashSet();
                var shared = tops[a].Artists.Where(x => artistsB.Contains(x.Key)).Select(x => x.Name).ToList();
                pairs.Add(new AffinityPair(tops[a].AccountKey, tops[b].AccountKey, Jaccard(artistsA, artistsB), Jaccard(tops[a].Tracks, tops[b].Tracks), shared));
            }
        }

        return new Affinity(request.Limit, pairs);
    });

    Task IHouseholdStatsGrain.ChangedAsync()
    {
        _members = null;
        _cache.Clear();
        return Task.CompletedTask;
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        var union = a.Union(b).Count();
        return union == 0 ? 0 : Math.Round((double)a.Intersect(b).Count() / union, 4);
    }

    private Task<T> Answer<T>(object key, Func<T> compute)
        where T : notnull =>
        Task.FromResult(_cache.GetOrAdd(key, compute));

    private Members Load()
    {
        if (_members is null)
        {
            var each = accounts.List()
                .Where(a => a.ShareStats)
                .Select(a => (Account: a, Log: logs.Load(a.AccountKey) ?? PlayLog.Empty))
                .ToList();
            _members = new Members(each, PlayLog.Merge([.. each.Select(m => m.Log)]));
        }

        return _members;
    }

    private StatsEngine Engine(PlayLog log, StatsRequest request)
    {
        var snapshot = catalog.Current(log.MaxTrackId);
        return new StatsEngine(log, snapshot, catalog, Zones.Find(request.TimeZone), timeProvider.GetUtcNow());
    }

    private sealed record Members(IReadOnlyList<(StoredAccount Account, PlayLog Log)> Each, PlayLog All);
}
