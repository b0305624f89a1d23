namespace OrleansSpotify.Storage;

/// <summary>The one time convention of the database: Unix milliseconds, UTC.</summary>
internal static class UnixTime
{
    public static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? FromMs(object value) => value is DBNull or null ? null : FromMs(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
}
