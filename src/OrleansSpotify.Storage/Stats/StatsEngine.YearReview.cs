using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// Both walks: the year's summary and tops per member, its busiest day, streak and discoveries over the merged MergedLog.
public sealed partial class StatsEngine
{
    public YearReview YearReview(int year, StatsRequest request)
    {
        var from = _clock.StartOf(new DateOnly(year, 1, 1));
        var to = _clock.EndOf(new DateOnly(year, 12, 31));
        var range = request with { From = from, To = to, Year = year };
        var (start, end) = MergedSlice(from, to);
        var days = MergedDailyCounts(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        var busiest = days.Count == 0 ? null : days.OrderByDescending(d => d.Value.Plays).ThenBy(d => d.Key).Select(d => new DayCount(d.Key, d.Value.Plays, d.Value.Ms)).First();
        return new YearReview(
            year,
            Summary(range),
            Top(TopKind.Tracks, range),
            Top(TopKind.Artists, range),
            Top(TopKind.Albums, range),
            busiest,
            LongestRun(MergedDaysWithPlays(start, end)),
            Discoveries(range));
    }
}
