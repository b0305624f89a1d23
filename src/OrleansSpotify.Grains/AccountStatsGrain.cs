using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Grains;

/// <summary>
/// One account's stats. The account's packed play log is loaded on first use (a few blobs) and every answer is
/// computed in memory and cached per request until the storage grain reports newly committed plays.
/// </summary>
public sealed class AccountStatsGrain(
    PlayLogReader logs, CatalogCache catalog, GenreCatalog genres, TimeProvider timeProvider, IOptions<StatsCacheOptions> cacheOptions)
    : Grain, IAccountStatsGrain
{
    private readonly StatsCache _cache = new(cacheOptions.Value.CacheBytesPerGrain);
    private PlayLog? _log;

    Task<SummaryStats> IStatsReader.GetSummaryAsync(StatsRequest request) =>
        Answer(("summary", request), request, engine => engine.Summary(request));

    Task<TopList> IStatsReader.GetTopAsync(TopKind kind, StatsRequest request) =>
        Answer(("top", kind, request), request, engine => engine.Top(kind, request));

    Task<Heatmap> IStatsReader.GetHeatmapAsync(StatsRequest request) =>
        Answer(("heatmap", request), request, engine => engine.Heatmap(request));

    Task<Timeline> IStatsReader.GetTimelineAsync(StatsRequest request) =>
        Answer(("timeline", request), request, engine => engine.Timeline(request));

    Task<StreakStats> IAccountStatsGrain.GetStreaksAsync(StatsRequest request) =>
        Answer(("streaks", request, Today(request)), request, engine => engine.Streaks(request));

    Task<Discoveries> IAccountStatsGrain.GetDiscoveriesAsync(StatsRequest request) =>
        Answer(("discoveries", request), request, engine => engine.Discoveries(request));

    Task<SessionStats> IAccountStatsGrain.GetSessionsAsync(StatsRequest request) =>
        Answer(("sessions", request), request, engine => engine.Sessions(request));

    Task<YearReview> IAccountStatsGrain.GetYearReviewAsync(int year, StatsRequest request) =>
        Answer(("year", year, request), request, engine => engine.YearReview(year, request));

    Task<GenreStats> IAccountStatsGrain.GetGenresAsync(StatsRequest request) =>
        Answer(("genres", request, genres.Version), request, engine => engine.Genres(request, genres.Current()));

    Task<int> IAccountStatsGrain.GetCachedAnswerCountAsync() => Task.FromResult(_cache.Count);

    Task IAccountStatsGrain.PlaysCommittedAsync()
    {
        _log = null;
        _cache.Clear();
        return Task.CompletedTask;
    }

    private Task<T> Answer<T>(object key, StatsRequest request, Func<StatsEngine, T> compute)
        where T : notnull =>
        Task.FromResult(_cache.GetOrAdd(key, () => compute(Engine(request))));

    private StatsEngine Engine(StatsRequest request)
    {
        _log ??= logs.Load(this.GetPrimaryKeyString()) ?? PlayLog.Empty;
        var snapshot = catalog.Current(_log.MaxTrackId);
        return new StatsEngine(_log, snapshot, catalog, Zones.Find(request.TimeZone), timeProvider.GetUtcNow());
    }

    private DateOnly Today(StatsRequest request) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), Zones.Find(request.TimeZone)).DateTime);
}
