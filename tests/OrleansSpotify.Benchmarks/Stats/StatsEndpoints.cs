using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Benchmarks.Stats;

public enum StatsScope
{
    Account,
    Household,
}

/// <summary>
/// What an endpoint's answer is computed from, in process: the play log (an account's, or the household's merged
/// one), each member's log, and a catalogue snapshot; the grains build their engines the same way.
/// </summary>
public sealed class StatsSubject(
    IReadOnlyList<PlayLog> members,
    CatalogSnapshot snapshot,
    CatalogCache names,
    IReadOnlyDictionary<int, string[]> genres,
    TimeZoneInfo zone)
{
    public IReadOnlyList<PlayLog> Members => members;

    public IReadOnlyDictionary<int, string[]> Genres => genres;

    /// <summary>The engine over the subject's log (an account) or its members' logs side by side (the household).</summary>
    public StatsEngine Engine() => new(members, snapshot, names, zone, DateTimeOffset.UtcNow);

    public StatsEngine Engine(PlayLog of) => new(of, snapshot, names, zone, DateTimeOffset.UtcNow);
}

/// <summary>
/// One stats endpoint: the grain method the web host calls for it (/api/accounts/{id}/stats/... or
/// /api/household/stats/...), and the <see cref="StatsEngine"/> calls that grain makes, to time them in process.
/// </summary>
public sealed record StatsEndpoint(
    string Name,
    StatsScope Scope,
    Func<IGrainFactory, string, StatsRequest, Task<object>> Ask,
    Func<StatsSubject, StatsRequest, object> Compute)
{
    /// <summary>Every account endpoint, then every household endpoint; the year review asks for <paramref name="reviewYear"/>.</summary>
    public static IReadOnlyList<StatsEndpoint> All(int reviewYear) =>
    [
        Account("summary", (g, r) => g.GetSummaryAsync(r), (s, r) => s.Engine().Summary(r)),
        Account("top-tracks", (g, r) => g.GetTopAsync(TopKind.Tracks, r), (s, r) => s.Engine().Top(TopKind.Tracks, r)),
        Account("top-artists", (g, r) => g.GetTopAsync(TopKind.Artists, r), (s, r) => s.Engine().Top(TopKind.Artists, r)),
        Account("top-albums", (g, r) => g.GetTopAsync(TopKind.Albums, r), (s, r) => s.Engine().Top(TopKind.Albums, r)),
        Account("heatmap", (g, r) => g.GetHeatmapAsync(r), (s, r) => s.Engine().Heatmap(r)),
        Account("timeline", (g, r) => g.GetTimelineAsync(r), (s, r) => s.Engine().Timeline(r)),
        Account("streaks", (g, r) => g.GetStreaksAsync(r), (s, r) => s.Engine().Streaks(r)),
        Account("discoveries", (g, r) => g.GetDiscoveriesAsync(r), (s, r) => s.Engine().Discoveries(r)),
        Account("sessions", (g, r) => g.GetSessionsAsync(r), (s, r) => s.Engine().Sessions(r)),
        Account($"year-review {reviewYear}", (g, r) => g.GetYearReviewAsync(reviewYear, r), (s, r) => s.Engine().YearReview(reviewYear, r)),
        Account("genres", (g, r) => g.GetGenresAsync(r), (s, r) => s.Engine().Genres(r, s.Genres)),
        Household("summary", (g, r) => g.GetSummaryAsync(r), (s, r) => s.Engine().Summary(r)),
        Household("top-tracks", (g, r) => g.GetTopAsync(TopKind.Tracks, r), (s, r) => s.Engine().Top(TopKind.Tracks, r)),
        Household("top-artists", (g, r) => g.GetTopAsync(TopKind.Artists, r), (s, r) => s.Engine().Top(TopKind.Artists, r)),
        Household("top-albums", (g, r) => g.GetTopAsync(TopKind.Albums, r), (s, r) => s.Engine().Top(TopKind.Albums, r)),
        Household("heatmap", (g, r) => g.GetHeatmapAsync(r), (s, r) => s.Engine().Heatmap(r)),
        Household("timeline", (g, r) => g.GetTimelineAsync(r), (s, r) => s.Engine().Timeline(r)),
        Household("leaderboard", (g, r) => g.GetLeaderboardAsync(r), (s, r) => s.Members.Select(m => s.Engine(m).Summary(r)).ToList()),
        Household("affinity", (g, r) => g.GetAffinityAsync(r), (s, r) => s.Members
            .Select(m => (s.Engine(m).TopKeys(TopKind.Artists, r, r.Limit), s.Engine(m).TopKeys(TopKind.Tracks, r, r.Limit)))
            .ToList()),
    ];

    private static StatsEndpoint Account<T>(string name, Func<IAccountStatsGrain, StatsRequest, Task<T>> ask, Func<StatsSubject, StatsRequest, object> compute)
        where T : notnull =>
        new(name, StatsScope.Account, async (factory, key, request) => await ask(factory.GetGrain<IAccountStatsGrain>(key), request), compute);

    private static StatsEndpoint Household<T>(string name, Func<IHouseholdStatsGrain, StatsRequest, Task<T>> ask, Func<StatsSubject, StatsRequest, object> compute)
        where T : notnull =>
        new(name, StatsScope.Household, async (factory, _, request) => await ask(factory.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey), request), compute);
}

/// <summary>One measured question: an endpoint, asked of a subject (an account or the household) for a range.</summary>
/// <param name="Subject">"typical", "busiest" (accounts) or "household".</param>
/// <param name="Key">The account key (the household's is unused).</param>
public sealed record StatsQuestion(string Subject, string Key, StatsEndpoint Endpoint, string Range, StatsRequest Request)
{
    public string Label => $"{Subject,-9} {Endpoint.Name,-17} {Range}";

    public bool IsAllTime => Request.From is null && Request.To is null;

    public Task<object> AskAsync(IGrainFactory grains) => Endpoint.Ask(grains, Key, Request);
}
