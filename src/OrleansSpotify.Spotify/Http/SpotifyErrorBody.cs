using System.Text.Json;

namespace OrleansSpotify.Spotify.Http;

/// <summary>
/// Either error shape Spotify sends: the Web API's <c>{"error":{"status","message","reason"?}}</c> or the token
/// endpoint's flat <c>{"error":"invalid_grant","error_description":"…"}</c>. <see cref="Code"/> is set only for the flat shape.
/// </summary>
internal sealed record SpotifyErrorBody(string? Code, string? Message, string? Reason)
{
    public const string QuotaExceededReason = "QUOTA_EXCEEDED";

    public bool IsQuotaExceeded => string.Equals(Reason, QuotaExceededReason, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>code: message</c> for the flat shape, else the message.</summary>
    public string? Describe() => (Code, Message) switch
    {
        ({ } code, { } message) => $"{code}: {message}",
        var (code, message) => code ?? message,
    };

    /// <summary>Null when the body is empty, HTML, or JSON of another shape.</summary>
    public static SpotifyErrorBody? TryParse(ReadOnlySpan<byte> body)
    {
        if (body.Trim(" \t\r\n"u8) is not [(byte)'{', ..])
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return FromRoot(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SpotifyErrorBody? FromRoot(JsonElement root)
    {
        if (!root.TryGetProperty("error", out var error))
        {
            return null;
        }

        return error.ValueKind switch
        {
            JsonValueKind.String => new SpotifyErrorBody(error.GetString(), GetString(root, "error_description"), null),
            JsonValueKind.Object => new SpotifyErrorBody(null, GetString(error, "message"), GetString(error, "reason")),
            _ => null,
        };
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
