using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// Merged-log walk: runs of days follow plays in time order.
public sealed partial class StatsEngine
{
    public StreakStats Streaks(StatsRequest request)
    {
        var (start, end) = MergedSlice(request.From, request.To);
        var longest = LongestRun(MergedDaysWithPlays(start, end));

        var allDays = MergedDaysWithPlays(0, MergedLog.Count);
        var today = _clock.Date(now.ToUnixTimeMilliseconds());
        Streak? current = null;
        if (allDays.Count > 0)
        {
            var lastDay = allDays.Max;
            if (lastDay >= today.AddDays(-1) && lastDay <= today)
            {
                var first = lastDay;
                while (allDays.Contains(first.AddDays(-1)))
                {
                    first = first.AddDays(-1);
                }

                current = new Streak(first, lastDay, lastDay.DayNumber - first.DayNumber + 1);
            }
        }

        var year = request.Year ?? (request.To is { } to ? _clock.Date(LocalClock.Clamp(to).ToUnixTimeMilliseconds() - 1) : today).Year;
        var (january, december) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        var perDay = MergedDailyCounts(january, december);
        var calendar = new List<DayCount>();
        for (var n = 0; n <= december.DayNumber - january.DayNumber; n++)
        {
            var day = january.AddDays(n);
            var (p, m) = perDay.GetValueOrDefault(day);
            calendar.Add(new DayCount(day, p, m));
        }

        return new StreakStats(current, longest, year, calendar);
    }

    private SortedSet<DateOnly> MergedDaysWithPlays(int start, int end)
    {
        // Plays are sorted, so equal local dates come in runs: only a change of date touches the set.
        var days = new SortedSet<DateOnly>();
        var previous = int.MinValue;
        for (var i = start; i < end; i++)
        {
            var day = _clock.DayNumber(MergedLog.PlayedAt[i]);
            if (day != previous)
            {
                days.Add(DateOnly.FromDayNumber(day));
                previous = day;
            }
        }

        return days;
    }

    private Dictionary<DateOnly, (long Plays, long Ms)> MergedDailyCounts(DateOnly first, DateOnly last)
    {
        var (start, end) = MergedSlice(_clock.StartOf(first), _clock.EndOf(last));
        var counts = new Dictionary<DateOnly, (long Plays, long Ms)>();
        for (var i = start; i < end; i++)
        {
            var day = _clock.Date(MergedLog.PlayedAt[i]);
            var (p, m) = counts.GetValueOrDefault(day);
            counts[day] = (p + 1, m + MergedLog.Ms[i]);
        }

        return counts;
    }

    private static Streak? LongestRun(SortedSet<DateOnly> days)
    {
        Streak? best = null;
        DateOnly? runStart = null;
        DateOnly? previous = null;
        foreach (var day in days)
        {
            if (previous is not { } p || day.DayNumber != p.DayNumber + 1)
            {
                runStart = day;
            }

            var length = day.DayNumber - runStart!.Value.DayNumber + 1;
            if (best is null || length > best.Days)
            {
                best = new Streak(runStart.Value, day, length);
            }

            previous = day;
        }

        return best;
    }
}
