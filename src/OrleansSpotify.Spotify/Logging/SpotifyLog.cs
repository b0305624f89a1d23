using Microsoft.Extensions.Logging;

namespace OrleansSpotify.Spotify.Logging;

/// <summary>
/// Every log line the client writes. None takes a token, an authorization code, a client secret or a header value:
/// keep it that way.
/// </summary>
internal static partial class SpotifyLog
{
    [LoggerMessage(1, LogLevel.Warning,
        "Spotify answered 429 (quota exceeded: {QuotaExceeded}, Retry-After: {RetryAfter}); no request before {NotBefore:O}")]
    public static partial void RateLimited(ILogger logger, bool quotaExceeded, TimeSpan? retryAfter, DateTimeOffset notBefore);

    [LoggerMessage(2, LogLevel.Debug, "Refused a Spotify request locally: rate-limited until {NotBefore:O}")]
    public static partial void RequestRefused(ILogger logger, DateTimeOffset notBefore);

    [LoggerMessage(3, LogLevel.Information, "Loaded a Spotify rate-limit window from the store: no request before {NotBefore:O}")]
    public static partial void RateLimitWindowLoaded(ILogger logger, DateTimeOffset notBefore);

    [LoggerMessage(4, LogLevel.Error, "Could not persist the Spotify rate-limit window ending {NotBefore:O}; it holds in memory only")]
    public static partial void RateLimitSaveFailed(ILogger logger, Exception exception, DateTimeOffset notBefore);

    [LoggerMessage(5, LogLevel.Error, "Could not load the Spotify rate-limit window from the store")]
    public static partial void RateLimitLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Warning,
        "Retrying Spotify request {Method} {Path} after {Outcome} (retry {Attempt}, in {Delay})")]
    public static partial void Retrying(ILogger logger, string method, string path, string outcome, int attempt, TimeSpan delay);

    [LoggerMessage(7, LogLevel.Information, "Refreshed a Spotify access token, valid until {ExpiresAt:O} (refresh token rotated: {Rotated})")]
    public static partial void TokenRefreshed(ILogger logger, DateTimeOffset expiresAt, bool rotated);

    [LoggerMessage(8, LogLevel.Warning, "Spotify refused a grant ({Description}): the member must sign in again")]
    public static partial void InvalidGrant(ILogger logger, string description);

    [LoggerMessage(9, LogLevel.Debug, "Spotify access token expires at {ExpiresAt:O}: refreshing before the call")]
    public static partial void RefreshingBeforeExpiry(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(10, LogLevel.Information, "Spotify answered 401 ({Reason}): refreshing the access token and retrying once")]
    public static partial void RefreshingAfterUnauthorized(ILogger logger, string reason);

    [LoggerMessage(11, LogLevel.Debug, "Another caller already refreshed the Spotify access token; using theirs")]
    public static partial void UsingConcurrentRefresh(ILogger logger);

    [LoggerMessage(12, LogLevel.Warning, "Skipped {Count} recently-played entries without a track or a readable played_at")]
    public static partial void SkippedHistoryEntries(ILogger logger, int count);

    [LoggerMessage(13, LogLevel.Information, "Exchanged a Spotify authorization code; access token valid until {ExpiresAt:O}")]
    public static partial void CodeExchanged(ILogger logger, DateTimeOffset expiresAt);
}
