using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Grains;

/// <summary>
/// One account's stats. The account's packed play log is loaded on first use (a few blobs) and every answer is
/// computed in memory and cached per request until the storage grain reports newly committed plays. The log is read
/// and the answers computed off the grain's turn (<see cref="StatsAnswers{TSource}"/>); the grain is reentrant so that
/// the storage grain's notice of new plays never waits behind an answer being computed.
/// </summary>
[Reentrant]
public sealed class AccountStatsGrain(
    PlayLogReader logs, CatalogCache catalog, GenreCatalog genres, TimeProvider timeProvider, IOptions<StatsCacheOptions> cacheOptions)
    : Grain, IAccountStatsGrain
{
    private StatsAnswers<PlayLog>? _answers;

    private StatsAnswers<PlayLog> Answers => _answers ??= NewAnswers(this.GetPrimaryKeyString());

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

    Task<int> IAccountStatsGrain.GetCachedAnswerCountAsync() => Task.FromResult(Answers.Count);

    Task IAccountStatsGrain.PlaysCommittedAsync()
    {
        Answers.Invalidate();
        return Task.CompletedTask;
    }

    /// <summary>The answer, cached or computed off the turn; the engine (which reads names from SQLite) is built there too.</summary>
    private Task<T> Answer<T>(object key, StatsRequest request, Func<StatsEngine, T> compute)
        where T : notnull
    {
        var (zone, now) = (Zones.Find(request.TimeZone), timeProvider.GetUtcNow());
        return Answers.GetAsync(key, log => compute(new StatsEngine(log, catalog.Current(log.MaxTrackId), catalog, zone, now)));
    }

    private StatsAnswers<PlayLog> NewAnswers(string accountKey) =>
        new(cacheOptions.Value.CacheBytesPerGrain, () => Task.FromResult(logs.Load(accountKey) ?? PlayLog.Empty));

    private DateOnly Today(StatsRequest request) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), Zones.Find(request.TimeZone)).DateTime);
}
