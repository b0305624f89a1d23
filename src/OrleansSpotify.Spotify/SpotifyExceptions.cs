namespace OrleansSpotify.Spotify;

/// <summary>Base of every failure the Spotify client reports.</summary>
public class SpotifyException(string message, int? statusCode = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    public int? StatusCode { get; } = statusCode;
}

/// <summary>The token endpoint answered <c>invalid_grant</c>: the grant is dead, the member must sign in again.</summary>
public sealed class SpotifyInvalidGrantException(string description)
    : SpotifyException($"Spotify refused the grant: {description}", 400)
{
    public string Description { get; } = description;
}

/// <summary>401 from the Web API (expired, invalid or missing access token).</summary>
public sealed class SpotifyUnauthorizedException(string message)
    : SpotifyException(message, 401);

/// <summary>
/// 429, or a request refused before sending because the app is inside a Retry-After window.
/// <see cref="RetryAt"/> is the first instant at which any request for this Spotify app may be sent again.
/// </summary>
public sealed class SpotifyRateLimitedException(string message, DateTimeOffset retryAt, bool quotaExceeded, bool sent)
    : SpotifyException(message, 429)
{
    public DateTimeOffset RetryAt { get; } = retryAt;

    /// <summary>True for <c>"reason":"QUOTA_EXCEEDED"</c>: a long pause, not a retry.</summary>
    public bool QuotaExceeded { get; } = quotaExceeded;

    /// <summary>False when the client refused locally without calling Spotify.</summary>
    public bool Sent { get; } = sent;
}

/// <summary>403: user not on the app's allowlist, app owner without Premium, endpoint removed.</summary>
public sealed class SpotifyForbiddenException(string message)
    : SpotifyException(message, 403);

/// <summary>5xx, timeouts, connection failures and unparseable bodies, after retries: try again later.</summary>
public sealed class SpotifyTransientException(string message, int? statusCode = null, Exception? innerException = null)
    : SpotifyException(message, statusCode, innerException);
