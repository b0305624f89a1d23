namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// One request the fake served. <see cref="Endpoint"/> is "authorize", "token", "me", "currently-playing",
/// "recently-played", "player", "artist", "track", "batch" or null for unknown paths. Never holds a token.
/// </summary>
public sealed record FakeRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string Query,
    int StatusCode,
    string? UserId,
    string? Endpoint);
