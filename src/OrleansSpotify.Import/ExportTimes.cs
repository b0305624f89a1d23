using System.Globalization;

namespace OrleansSpotify.Import;

/// <summary>The time stamps of Spotify's exports, read as UTC.</summary>
public static class ExportTimes
{
    /// <summary>
    /// Extended history's <c>ts</c>: <c>2014-07-27T20:34:47Z</c> (read without allocating); any other ISO 8601 form with
    /// a zone is converted to UTC, and one without a zone is taken as UTC.
    /// </summary>
    public static bool TryParseTs(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        if (text.Length == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' && text[16] == ':' && text[19] == 'Z'
            && TryDigits(text, 0, 4, out var year) && TryDigits(text, 5, 2, out var month) && TryDigits(text, 8, 2, out var day)
            && TryDigits(text, 11, 2, out var hour) && TryDigits(text, 14, 2, out var minute) && TryDigits(text, 17, 2, out var second))
        {
            return TryCreate(year, month, day, hour, minute, second, out value);
        }

        return TryParseText(text, out value);
    }

    /// <summary>Account data's <c>endTime</c>: <c>2023-03-26 01:59</c> (UTC, minute precision; seconds are accepted too).</summary>
    public static bool TryParseEndTime(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        if (text.Length is 16 or 19 && text[4] == '-' && text[7] == '-' && text[10] == ' ' && text[13] == ':'
            && TryDigits(text, 0, 4, out var year) && TryDigits(text, 5, 2, out var month) && TryDigits(text, 8, 2, out var day)
            && TryDigits(text, 11, 2, out var hour) && TryDigits(text, 14, 2, out var minute))
        {
            var second = 0;
            if (text.Length == 19 && (text[16] != ':' || !TryDigits(text, 17, 2, out second)))
            {
                value = default;
                return false;
            }

            return TryCreate(year, month, day, hour, minute, second, out value);
        }

        value = default;
        return false;
    }

    private static bool TryParseText(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length is 0 or > 64)
        {
            return false;
        }

        Span<char> chars = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127)
            {
                return false;
            }

            chars[i] = (char)text[i];
        }

        if (!chars.Contains('T') && !chars.Contains(' '))
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(chars, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            return false;
        }

        value = value.ToUniversalTime();
        return true;
    }

    private static bool TryCreate(int year, int month, int day, int hour, int minute, int second, out DateTimeOffset value)
    {
        if (year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && hour <= 23 && minute <= 59 && second <= 59)
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
            return true;
        }

        value = default;
        return false;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
