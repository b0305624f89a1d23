using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// The stats both groups of endpoints (an account's, the household's) ask the same way: each question is written once,
/// against <see cref="IStatsReader"/>, and asked of whichever stats grain the endpoint resolved.
/// </summary>
public static class SharedStats
{
    public static Task<SummaryStats> Summary(IStatsReader grain, StatsRequest request) => grain.GetSummaryAsync(request);

    public static Task<TopList> TopTracks(IStatsReader grain, StatsRequest request) => grain.GetTopAsync(TopKind.Tracks, request);

    public static Task<TopList> TopArtists(IStatsReader grain, StatsRequest request) => grain.GetTopAsync(TopKind.Artists, request);

    public static Task<TopList> TopAlbums(IStatsReader grain, StatsRequest request) => grain.GetTopAsync(TopKind.Albums, request);

    public static Task<Heatmap> Heatmap(IStatsReader grain, StatsRequest request) => grain.GetHeatmapAsync(request);

    public static Task<Timeline> Timeline(IStatsReader grain, StatsRequest request) => grain.GetTimelineAsync(request);

    /// <summary>The timeline's bucket limit (<see cref="TimelineLimit"/>), open ends taken from the same grain's summary.</summary>
    public static Task<IDictionary<string, string[]>?> TimelineFits(IStatsReader grain, StatsRequest request) =>
        TimelineLimit.CheckAsync(request, () => grain.GetSummaryAsync(request));
}
