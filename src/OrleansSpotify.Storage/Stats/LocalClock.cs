namespace OrleansSpotify.Storage.Stats;

/// <summary>
/// Converts Unix-ms instants to local wall-clock time in one zone, fast: offsets change only at transitions, which
/// fall on quarter hours in every zone, so the offset is looked up once per quarter hour seen and reused.
/// </summary>
public sealed class LocalClock(TimeZoneInfo zone)
{
    private const long QuarterMs = 15 * 60 * 1000;
    private long _quarter = long.MinValue;
    private long _offsetMs;

    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>Local wall-clock milliseconds since 0001-01-01 for the instant.</summary>
    public long LocalMs(long unixMs)
    {
        var quarter = Math.DivRem(unixMs, QuarterMs, out var remainder);
        if (remainder < 0)
        {
            quarter--;
        }

        if (quarter != _quarter)
        {
            _quarter = quarter;
            _offsetMs = (long)Zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(quarter * QuarterMs)).TotalMilliseconds;
        }

        return unixMs + _offsetMs + (DateTimeOffset.UnixEpoch.Ticks / TimeSpan.TicksPerMillisecond);
    }

    /// <summary>The local day number (days since 0001-01-01) of the instant.</summary>
    public int DayNumber(long unixMs) => (int)(LocalMs(unixMs) / 86_400_000);

    public DateOnly Date(long unixMs) => DateOnly.FromDayNumber(DayNumber(unixMs));

    public DateTime LocalDateTime(long unixMs) => new(LocalMs(unixMs) * TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified);

    /// <summary>The instant a local date starts (the first valid local time of that day, for DST gaps at midnight).</summary>
    public DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
