namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// One request the fake served, faulted ones included. <see cref="Endpoint"/> is "authorize", "token", "me",
/// "currently-playing", "recently-played", "player", "artist", "track", "batch" (removed batch endpoints),
/// "unknown" (other <c>/v1/</c> paths) or null. <see cref="UserId"/> is resolved from the request's access token,
/// code or refresh token when possible. Never holds a token.
/// </summary>
public sealed record FakeRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string Query,
    int StatusCode,
    string? UserId,
    string? Endpoint);
