using System.Globalization;
using System.Text.Json;

namespace OrleansSpotify.Spotify.Json;

/// <summary>
/// Reads a JSON value that should be an integer but has been seen otherwise: a float (<c>215000.0</c>,
/// SpotifyAPI-NET #926), a numeric string, or the legacy local-file object <c>{"totalMilliseconds":188000}</c>.
/// Anything else reads as null instead of failing the whole response.
/// </summary>
internal static class LenientNumberReader
{
    private const string TotalMillisecondsProperty = "totalMilliseconds";

    public static long? ReadInt64(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return FromNumber(ref reader);
            case JsonTokenType.String:
                return FromString(reader.GetString());
            case JsonTokenType.StartObject:
                return FromObject(ref reader);
            case JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    private static long? FromNumber(ref Utf8JsonReader reader)
    {
        if (reader.TryGetInt64(out var value))
        {
            return value;
        }

        var number = reader.GetDouble();
        return double.IsFinite(number) && number is >= long.MinValue and <= long.MaxValue
            ? (long)Math.Round(number, MidpointRounding.AwayFromZero)
            : null;
    }

    private static long? FromString(string? text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number) && number is >= long.MinValue and <= long.MaxValue
            ? (long)Math.Round(number, MidpointRounding.AwayFromZero)
            : null;
    }

    private static long? FromObject(ref Utf8JsonReader reader)
    {
        long? result = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var isTotal = string.Equals(reader.GetString(), TotalMillisecondsProperty, StringComparison.OrdinalIgnoreCase);
            reader.Read();
            if (isTotal)
            {
                result = ReadInt64(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return result;
    }
}
