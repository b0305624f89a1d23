namespace OrleansSpotify.Storage.Stats;

/// <summary>
/// Converts Unix-ms instants to local wall-clock time in one zone, fast: offsets change only at transitions, which
/// fall on quarter hours in every zone, so the offset is looked up once per quarter hour seen and reused.
/// </summary>
public sealed class LocalClock(TimeZoneInfo zone)
{
    /// <summary>
    /// The first instant stats can be asked about: a day after the first representable one, so that its local time and
    /// local date exist in every zone (offsets lie within ±14 h).
    /// </summary>
    public static readonly DateTimeOffset MinInstant = new(1, 1, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The last instant stats can be asked about: a day and more before the last representable one, so that the local
    /// date of any instant before it, and the day after that date, exist in every zone.
    /// </summary>
    public static readonly DateTimeOffset MaxInstant = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

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

    /// <summary>
    /// The instant a local date starts (the first valid local time of that day, for DST gaps at midnight), clamped to
    /// [<see cref="MinInstant"/>, <see cref="MaxInstant"/>]: the first and last days of the calendar start outside it
    /// in some zones (0001-01-01 at UTC+14 began in year 0), and no play lies outside it.
    /// </summary>
    public DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        var utcTicks = local.Ticks - offset.Ticks;
        return utcTicks < MinInstant.UtcTicks ? MinInstant
            : utcTicks > MaxInstant.UtcTicks ? MaxInstant
            : new DateTimeOffset(utcTicks, TimeSpan.Zero);
    }

    /// <summary>The instant the local day after <paramref name="date"/> starts (the end of the date), clamped as <see cref="StartOf"/>.</summary>
    public DateTimeOffset EndOf(DateOnly date) => date == DateOnly.MaxValue ? MaxInstant : StartOf(date.AddDays(1));

    /// <summary>The instant clamped to [<see cref="MinInstant"/>, <see cref="MaxInstant"/>].</summary>
    public static DateTimeOffset Clamp(DateTimeOffset instant) =>
        instant < MinInstant ? MinInstant : instant > MaxInstant ? MaxInstant : instant;
}
