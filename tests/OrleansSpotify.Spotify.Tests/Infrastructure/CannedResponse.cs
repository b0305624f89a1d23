namespace OrleansSpotify.Spotify.Tests.Infrastructure;

internal sealed record CannedResponse(int Status, string? Body, string ContentType, IReadOnlyDictionary<string, string> Headers, bool Hang = false)
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    public static CannedResponse Json(int status, string body, params (string Name, string Value)[] headers) =>
        new(status, body, "application/json; charset=utf-8", ToDictionary(headers));

    public static CannedResponse Fixture(string name) => Json(200, Fixtures.Read(name));

    public static CannedResponse Text(int status, string body, string contentType = "text/plain") =>
        new(status, body, contentType, NoHeaders);

    public static CannedResponse Empty(int status, params (string Name, string Value)[] headers) =>
        new(status, null, "", ToDictionary(headers));

    /// <summary>Never answers; the handler ends when the client gives up (attempt timeout) or the server stops.</summary>
    public static CannedResponse NoAnswer() => new(0, null, "", NoHeaders, Hang: true);

    public static CannedResponse Token(string accessToken, string? refreshToken, int expiresIn = 3600, string scope = "user-read-currently-playing user-read-recently-played") =>
        Json(200, refreshToken is null
            ? $$$"""{"access_token":"{{{accessToken}}}","token_type":"Bearer","scope":"{{{scope}}}","expires_in":{{{expiresIn}}}}"""
            : $$$"""{"access_token":"{{{accessToken}}}","token_type":"Bearer","scope":"{{{scope}}}","expires_in":{{{expiresIn}}},"refresh_token":"{{{refreshToken}}}"}""");

    public static CannedResponse ApiError(int status, string message, string? reason = null, params (string Name, string Value)[] headers) =>
        Json(status, reason is null
            ? $$$"""{"error":{"status":{{{status}}},"message":"{{{message}}}"}}"""
            : $$$"""{"error":{"status":{{{status}}},"message":"{{{message}}}","reason":"{{{reason}}}"}}""", headers);

    public static CannedResponse TokenError(string error, string description, int status = 400) =>
        Json(status, $$$"""{"error":"{{{error}}}","error_description":"{{{description}}}"}""");

    private static Dictionary<string, string> ToDictionary((string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
}
