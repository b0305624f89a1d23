using Microsoft.Extensions.Logging;
using OrleansSpotify.Spotify;

namespace OrleansSpotify.Grains;

/// <summary>What a failed poll means for the account's polling.</summary>
internal enum PollFailureKind
{
    /// <summary>Spotify refused the grant: the account needs a new sign-in, and its polling stops.</summary>
    SignInRevoked,

    /// <summary>Rate limited (or the app's quota is spent): no call before <see cref="PollFailure.NotBefore"/>.</summary>
    RateLimited,

    /// <summary>Spotify refuses the account (403): it is blocked and retried rarely.</summary>
    Refused,

    /// <summary>Anything else (5xx and timeouts after the client's retries, a malformed answer, a storage failure): back off and retry.</summary>
    Transient,
}

/// <summary>
/// A failed poll, classified from what was thrown: its kind, the status detail to show, the delay until the next poll
/// (none once the sign-in is revoked), the end of a rate limit, and the failures in a row that now count towards the
/// back-off (only transient failures count). Worked out without side effects; the listener applies it.
/// </summary>
internal sealed record PollFailure(PollFailureKind Kind, string? Detail, TimeSpan? Next, DateTimeOffset? NotBefore, int ConsecutiveFailures)
{
    /// <param name="jitterSample">In [0, 1): where in the ±<see cref="ListenerOptions.Jitter"/> spread a transient back-off falls.</param>
    public static PollFailure Of(Exception exception, DateTimeOffset now, int consecutiveFailures, ListenerOptions options, double jitterSample) => exception switch
    {
        SpotifyInvalidGrantException revoked => new(
            PollFailureKind.SignInRevoked, "Spotify revoked the sign-in (" + revoked.Description + "). Sign in again to resume.", null, null, consecutiveFailures),
        SpotifyRateLimitedException limited => new(
            PollFailureKind.RateLimited,
            limited.QuotaExceeded
                ? $"Spotify's quota for this app is exhausted; polling resumes at {limited.RetryAt:u}."
                : $"Rate limited by Spotify until {limited.RetryAt:u}.",
            limited.RetryAt > now ? limited.RetryAt - now : options.IdleMinInterval,
            limited.RetryAt,
            consecutiveFailures),
        SpotifyForbiddenException refused => new(
            PollFailureKind.Refused, "Spotify refuses this account: " + refused.Message, options.BlockedRetryInterval, null, consecutiveFailures),
        _ => new(
            PollFailureKind.Transient, null, options.JitteredFailureBackoff(consecutiveFailures + 1, jitterSample), null, consecutiveFailures + 1),
    };

    public void Log(ILogger logger, string accountKey, Exception exception)
    {
        switch (exception)
        {
            case SpotifyInvalidGrantException revoked:
                ListenerLog.NeedsReauth(logger, accountKey, revoked.Description);
                break;
            case SpotifyRateLimitedException limited:
                ListenerLog.RateLimited(logger, accountKey, limited.RetryAt, limited.QuotaExceeded, limited.Sent);
                break;
            case SpotifyForbiddenException:
                ListenerLog.Blocked(logger, accountKey, exception.Message);
                break;
            default:
                ListenerLog.PollFailed(logger, exception, accountKey, ConsecutiveFailures, Next ?? TimeSpan.Zero);
                break;
        }
    }
}
