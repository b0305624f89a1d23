namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// The oracle's own time arithmetic: one <see cref="TimeZoneInfo.ConvertTime(DateTimeOffset, TimeZoneInfo)"/> per
/// instant and binary searches over instants. Deliberately shares nothing with the engine's LocalClock.
/// </summary>
internal static class OracleTime
{
    private const long DayMs = 86_400_000;

    public static DateTime Local(TimeZoneInfo zone, long unixMs) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), zone).DateTime;

    public static DateOnly LocalDate(TimeZoneInfo zone, long unixMs) => DateOnly.FromDateTime(Local(zone, unixMs));

    public static DateOnly LocalDate(TimeZoneInfo zone, DateTimeOffset instant) => LocalDate(zone, instant.ToUnixTimeMilliseconds());

    /// <summary>
    /// The first instant whose local date is <paramref name="date"/> (local midnight, or the end of a DST gap that
    /// swallows midnight). Found by bisection: in the zones used here the local date never goes backwards.
    /// </summary>
    public static DateTimeOffset StartOfDay(TimeZoneInfo zone, DateOnly date)
    {
        var utcMidnight = UtcMs(date);
        long before = utcMidnight - (16 * 3_600_000), after = utcMidnight + (16 * 3_600_000);
        while (after - before > 1)
        {
            var middle = before + ((after - before) / 2);
            if (LocalDate(zone, middle) >= date)
            {
                after = middle;
            }
            else
            {
                before = middle;
            }
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(after);
    }

    /// <summary>Every instant in [first, last] (UTC days) at which the zone's UTC offset changes.</summary>
    public static IReadOnlyList<long> Transitions(TimeZoneInfo zone, DateOnly first, DateOnly last)
    {
        long Offset(long ms) => (long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(ms)).TotalMilliseconds;
        var transitions = new List<long>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            long before = UtcMs(day), after = before + DayMs;
            var offset = Offset(before);
            if (Offset(after) == offset)
            {
                continue;
            }

            while (after - before > 1)
            {
                var middle = before + ((after - before) / 2);
                if (Offset(middle) == offset)
                {
                    before = middle;
                }
                else
                {
                    after = middle;
                }
            }

            transitions.Add(after);
        }

        return transitions;
    }

    public static long UtcMs(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
}
