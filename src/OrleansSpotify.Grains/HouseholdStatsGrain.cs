using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Grains;

/// <summary>
/// The household's stats over every member who shares theirs (a member's choice to keep their stats private
/// removes them from every household answer), cached per request until new plays or a sharing change arrive.
/// </summary>
public sealed class HouseholdStatsGrain(
    AccountStore accounts, PlayLogReader logs, CatalogCache catalog, TimeProvider timeProvider, IOptions<StatsCacheOptions> cacheOptions)
    : Grain, IHouseholdStatsGrain
{
    private readonly StatsCache _cache = new(cacheOptions.Value.CacheBytesPerGrain);
    private Members? _members;

    Task<SummaryStats> IStatsReader.GetSummaryAsync(StatsRequest request) =>
        Answer(("summary", request), members => Engine(members.All, request).Summary(request));

    Task<TopList> IStatsReader.GetTopAsync(TopKind kind, StatsRequest request) =>
        Answer(("top", kind, request), members =>
            Engine(members.All, request).Top(kind, request, [.. members.Each.Select(m => m.Account.AccountKey)]));

    Task<Heatmap> IStatsReader.GetHeatmapAsync(StatsRequest request) =>
        Answer(("heatmap", request), members => Engine(members.All, request).Heatmap(request));

    Task<Timeline> IStatsReader.GetTimelineAsync(StatsRequest request) =>
        Answer(("timeline", request), members => Engine(members.All, request).Timeline(request));

    Task<Leaderboard> IHouseholdStatsGrain.GetLeaderboardAsync(StatsRequest request) => Answer(("leaderboard", request), members =>
    {
        var rows = members.Each
            .Select(m => (m.Account, Summary: Engine(m.Log, request).Summary(request)))
            .OrderByDescending(r => r.Summary.Time.TotalMs).ThenByDescending(r => r.Summary.Plays).ThenBy(r => r.Account.AccountKey, StringComparer.Ordinal)
            .Select((r, i) => new LeaderboardEntry(i + 1, r.Account.AccountKey, r.Account.DisplayName, r.Summary.Plays, r.Summary.Time))
            .ToList();
        return new Leaderboard(rows);
    });

    Task<Affinity> IHouseholdStatsGrain.GetAffinityAsync(StatsRequest request) => Answer(("affinity", request), members =>
    {
        // Internal ids, not names: the catalogue is shared, so equal ids are equal artists and tracks.
        var tops = members.Each.Select(m =>
        {
            var engine = Engine(m.Log, request);
            return (
                m.Account.AccountKey,
                Artists: engine.TopKeys(TopKind.Artists, request, request.Limit),
                Tracks: engine.TopKeys(TopKind.Tracks, request, request.Limit).ToHashSet());
        }).ToList();

        var pairs = new List<(string A, string B, double Artists, double Tracks, int[] Shared)>();
        for (var a = 0; a < tops.Count; a++)
        {
            for (var b = a + 1; b < tops.Count; b++)
            {
                var artistsB = tops[b].Artists.ToHashSet();
                var shared = tops[a].Artists.Where(artistsB.Contains).ToArray();
                pairs.Add((tops[a].AccountKey, tops[b].AccountKey, Jaccard(tops[a].Artists.ToHashSet(), artistsB), Jaccard(tops[a].Tracks, tops[b].Tracks), shared));
            }
        }

        var names = catalog.Artists([.. pairs.SelectMany(p => p.Shared).Distinct()]);
        return new Affinity(request.Limit, [.. pairs.Select(p => new AffinityPair(
            p.A, p.B, p.Artists, p.Tracks, [.. p.Shared.Select(id => names.GetValueOrDefault(id)?.Name ?? "Unknown")]))]);
    });

    Task IHouseholdStatsGrain.ChangedAsync()
    {
        _members = null;
        _cache.Clear();
        return Task.CompletedTask;
    }

    private static double Jaccard(HashSet<int> a, HashSet<int> b)
    {
        var shared = a.Count(b.Contains);
        var union = a.Count + b.Count - shared;
        return union == 0 ? 0 : Math.Round((double)shared / union, 4);
    }

    private async Task<T> Answer<T>(object key, Func<Members, T> compute)
        where T : notnull
    {
        if (_cache.TryGet<T>(key, out var cached))
        {
            return cached;
        }

        var members = _members ??= await LoadAsync();
        return _cache.GetOrAdd(key, () => compute(members));
    }

    private async Task<Members> LoadAsync()
    {
        // Each member's log is its own read and decode: they load side by side on the thread pool (the grain's turn
        // waits; no other request interleaves), and no household stat needs them merged.
        var sharing = accounts.List().Where(a => a.ShareStats).ToArray();
        var loaded = await Task.WhenAll(sharing.Select(a => Task.Run(() => logs.Load(a.AccountKey) ?? PlayLog.Empty)));
        return new Members([.. sharing.Zip(loaded, (account, log) => (account, log))], loaded);
    }

    private StatsEngine Engine(PlayLog log, StatsRequest request) => Engine([log], request);

    private StatsEngine Engine(IReadOnlyList<PlayLog> members, StatsRequest request)
    {
        var snapshot = catalog.Current(members.Count == 0 ? 0 : members.Max(l => l.MaxTrackId));
        return new StatsEngine(members, snapshot, catalog, Zones.Find(request.TimeZone), timeProvider.GetUtcNow());
    }

    private sealed record Members(IReadOnlyList<(StoredAccount Account, PlayLog Log)> Each, IReadOnlyList<PlayLog> All);
}
