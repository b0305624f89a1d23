namespace OrleansSpotify.Host.Api;

/// <summary>What short texts typed by members (share-token labels) and zone ids may hold.</summary>
public static class TextRules
{
    /// <summary>
    /// The first character a label may not hold, or null: control characters (C0, DEL, C1; NUL among them) and the
    /// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that can make a label shown on
    /// another page read differently from what it is.
    /// </summary>
    public static char? Forbidden(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069')
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>
    /// Finds an IANA zone by id, looking only at ids shaped like one (letters, digits, '_', '+', '-', '/' and no
    /// '..'; at most 64 characters): the lookup reads files named after the id.
    /// </summary>
    public static bool TryFindZone(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        return id is { Length: > 0 and <= 64 }
            && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '/')
            && !id.Contains("..", StringComparison.Ordinal)
            && !id.StartsWith('/')
            && TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone);
    }
}
