namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// One request the fake served, faulted ones included. <see cref="Endpoint"/> is "authorize", "token", "me",
/// "currently-playing", "recently-played", "player", "artist", "track", "batch" (removed batch endpoints),
/// "unknown" (other <c>/v1/</c> paths) or null. <see cref="UserId"/> is resolved from the request's access token,
/// code or refresh token when possible. <see cref="StatusCode"/> is 0 when the fake never answered
/// (<see cref="FakeFault.Timeout"/>). Never holds a token.
/// </summary>
public sealed record FakeRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string Query,
    int StatusCode,
    string? UserId,
    string? Endpoint)
{
    /// <summary>The <c>Retry-After</c> a 429 carried (whole seconds, as sent); null when there was none.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The fault the request was answered with (a queued one or the rate-limit window); null when none.</summary>
    public FakeFault? Fault { get; init; }
}
