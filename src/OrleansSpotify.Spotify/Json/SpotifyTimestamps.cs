using System.Globalization;

namespace OrleansSpotify.Spotify.Json;

/// <summary>Parses Spotify's ISO-8601 instants at any precision (<c>2017-05-14T17:45:08.359Z</c>, whole seconds, 7+ fraction digits, offsets).</summary>
internal static class SpotifyTimestamps
{
    private const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, Styles, out value))
        {
            return true;
        }

        // .NET keeps at most 7 fraction digits: cut longer fractions (nanoseconds) and try again.
        var dot = trimmed.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return false;
        }

        var end = dot + 1;
        while (end < trimmed.Length && char.IsAsciiDigit(trimmed[end]))
        {
            end++;
        }

        return end - dot - 1 > 7
            && DateTimeOffset.TryParse(string.Concat(trimmed.AsSpan(0, dot + 8), trimmed.AsSpan(end)), CultureInfo.InvariantCulture, Styles, out value);
    }
}
