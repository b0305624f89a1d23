namespace OrleansSpotify.Import;

/// <summary>
/// Extended history's <c>offline_timestamp</c> is milliseconds since the epoch in older exports and seconds in newer
/// ones, and sometimes a tiny or absurd number. The unit is told by magnitude: from 10^11 up it is milliseconds
/// (10^11 seconds would be the year 5138), from 2000-01-01 in seconds up to that it is seconds; anything else, or a
/// time past 2100, is no time at all.
/// </summary>
public static class OfflineTimestamp
{
    private const long MillisecondsFrom = 100_000_000_000;
    private const long Year2000Seconds = 946_684_800;
    private const long Year2100Seconds = 4_102_444_800;

    public static DateTimeOffset? FromEpoch(long value)
    {
        if (value >= MillisecondsFrom)
        {
            return value <= Year2100Seconds * 1000 ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
        }

        return value >= Year2000Seconds ? DateTimeOffset.FromUnixTimeSeconds(value) : null;
    }
}
