using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Grains;

/// <summary>
/// The household's stats over every member who shares theirs (a member's choice to keep their stats private
/// removes them from every household answer), cached per request until new plays or a sharing change arrive. The
/// members and their logs are read and the answers computed off the grain's turn (<see cref="StatsAnswers{TSource}"/>);
/// the grain is reentrant so that a notice of new plays never waits behind an answer being computed.
/// </summary>
[Reentrant]
public sealed class HouseholdStatsGrain(
    AccountStore accounts, PlayLogReader logs, CatalogCache catalog, TimeProvider timeProvider, IOptions<StatsCacheOptions> cacheOptions)
    : Grain, IHouseholdStatsGrain
{
    private StatsAnswers<Members>? _answers;

    private StatsAnswers<Members> Answers => _answers ??= new(cacheOptions.Value.CacheBytesPerGrain, LoadAsync);

    Task<SummaryStats> IStatsReader.GetSummaryAsync(StatsRequest request) =>
        Answer(("summary", request), members => HouseholdEngine(members.All, request).Summary(request));

    Task<TopList> IStatsReader.GetTopAsync(TopKind kind, StatsRequest request) =>
        Answer(("top", kind, request), members =>
            HouseholdEngine(members.All, request).Top(kind, request, [.. members.Each.Select(m => m.Account.AccountKey)]));

    Task<Heatmap> IStatsReader.GetHeatmapAsync(StatsRequest request) =>
        Answer(("heatmap", request), members => HouseholdEngine(members.All, request).Heatmap(request));

    Task<Timeline> IStatsReader.GetTimelineAsync(StatsRequest request) =>
        Answer(("timeline", request), members => HouseholdEngine(members.All, request).Timeline(request));

    Task<Leaderboard> IHouseholdStatsGrain.GetLeaderboardAsync(StatsRequest request) => Answer(("leaderboard", request), members =>
    {
        var rows = members.Each
            .Select(m => (m.Account, Summary: MemberEngine(m.Log, request).Summary(request)))
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
            var engine = MemberEngine(m.Log, request);
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
        Answers.Invalidate();
        return Task.CompletedTask;
    }

    private static double Jaccard(HashSet<int> a, HashSet<int> b)
    {
        var shared = a.Count(b.Contains);
        var union = a.Count + b.Count - shared;
        return union == 0 ? 0 : Math.Round((double)shared / union, 4);
    }

    /// <summary>The answer, cached or computed off the turn (the engines read names from SQLite).</summary>
    private Task<T> Answer<T>(object key, Func<Members, T> compute)
        where T : notnull => Answers.GetAsync(key, compute);

    /// <summary>
    /// On the thread pool: who shares, then each member's log, each its own read and decode, side by side (no household
    /// stat needs them merged).
    /// </summary>
    private async Task<Members> LoadAsync()
    {
        var sharing = accounts.List().Where(a => a.ShareStats).ToArray();
        var loaded = await Task.WhenAll(sharing.Select(a => Task.Run(() => logs.Load(a.AccountKey) ?? PlayLog.Empty)));
        return new Members([.. sharing.Zip(loaded, (account, log) => (account, log))], loaded);
    }

    /// <summary>One member's stats alone (leaderboard rows, each member's tops for affinity).</summary>
    private StatsEngine MemberEngine(PlayLog log, StatsRequest request) => HouseholdEngine([log], request);

    /// <summary>Stats over every sharing member's log (the engine walks each log apart, or merges them, per stat).</summary>
    private StatsEngine HouseholdEngine(IReadOnlyList<PlayLog> members, StatsRequest request)
    {
        var snapshot = catalog.Current(members.Count == 0 ? 0 : members.Max(l => l.MaxTrackId));
        return new StatsEngine(members, snapshot, catalog, Zones.Find(request.TimeZone), timeProvider.GetUtcNow());
    }

    private sealed record Members(IReadOnlyList<(StoredAccount Account, PlayLog Log)> Each, IReadOnlyList<PlayLog> All);
}
