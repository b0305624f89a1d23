using System.Globalization;

namespace OrleansSpotify.Spotify.Json;

/// <summary>
/// Parses Spotify's ISO-8601 instants at any precision: <c>2017-05-14T17:45:08.359Z</c>, whole seconds or minutes,
/// more than 7 fraction digits (rounded to .NET's 100 ns), explicit offsets. A missing offset means UTC.
/// </summary>
internal static class SpotifyTimestamps
{
    private const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return !string.IsNullOrWhiteSpace(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, Styles, out value);
    }
}
