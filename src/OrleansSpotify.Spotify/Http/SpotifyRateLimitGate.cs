using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Spotify.Logging;

namespace OrleansSpotify.Spotify.Http;

/// <summary>
/// The app-wide "no request before" instant (one per Spotify app, so a singleton). Loaded once from
/// <see cref="ISpotifyRateLimitStore"/> at first use, so a restart inside a Retry-After window still sends nothing;
/// saved back whenever Spotify answers 429. A window only ever grows.
/// </summary>
internal sealed class SpotifyRateLimitGate(
    ISpotifyRateLimitStore store,
    TimeProvider timeProvider,
    IOptions<SpotifyOptions> options,
    ILogger<SpotifyRateLimitGate> logger) : ISpotifyRateLimitStatus
{
    private const string RateLimitReason = SpotifyPause.RateLimit;

    private readonly Lock _lock = new();
    private bool _loaded;
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;
    private bool _quotaExceeded;
    private string? _reason;

    public SpotifyPause? GetPause()
    {
        lock (_lock)
        {
            EnsureLoaded();
            return _notBefore == DateTimeOffset.MinValue ? null : new SpotifyPause(_notBefore, _reason);
        }
    }

    /// <summary>Throws <see cref="SpotifyRateLimitedException"/> (not sent) while the window is open.</summary>
    public void ThrowIfClosed()
    {
        DateTimeOffset notBefore;
        bool quotaExceeded;
        lock (_lock)
        {
            EnsureLoaded();
            notBefore = _notBefore;
            quotaExceeded = _quotaExceeded;
        }

        if (timeProvider.GetUtcNow() < notBefore)
        {
            SpotifyLog.RequestRefused(logger, notBefore);
            throw new SpotifyRateLimitedException(
                $"Spotify rate limit: no request before {notBefore:O}.", notBefore, quotaExceeded, sent: false);
        }
    }

    /// <summary>Records a 429 and returns the exception to throw for it.</summary>
    /// <param name="retryAfter">The parsed <c>Retry-After</c>; null when the header was missing.</param>
    public SpotifyRateLimitedException Close(TimeSpan? retryAfter, bool quotaExceeded, string? message)
    {
        var settings = options.Value;
        var wait = retryAfter ?? settings.DefaultRetryAfter;
        if (quotaExceeded && wait < settings.QuotaExceededPause)
        {
            wait = settings.QuotaExceededPause;
        }

        var requested = timeProvider.GetUtcNow() + wait;
        DateTimeOffset notBefore;
        lock (_lock)
        {
            EnsureLoaded();
            if (requested > _notBefore)
            {
                _notBefore = requested;
                _quotaExceeded = quotaExceeded;
                _reason = quotaExceeded ? SpotifyErrorBody.QuotaExceededReason : RateLimitReason;
                Save(requested, quotaExceeded);
            }

            notBefore = _notBefore;
        }

        SpotifyLog.RateLimited(logger, quotaExceeded, retryAfter, notBefore);
        return new SpotifyRateLimitedException(
            $"{message ?? "Spotify rate limit exceeded."} No request before {notBefore:O}.", notBefore, quotaExceeded, sent: true);
    }

    // Both run under _lock: the store sees windows in order, and loads at most once.
    private void EnsureLoaded()
    {
        if (_loaded)
        {
            return;
        }

        SpotifyPause? stored;
        try
        {
            stored = store.LoadPause();
        }
        catch (Exception ex)
        {
            SpotifyLog.RateLimitLoadFailed(logger, ex);
            throw new SpotifyTransientException("Could not load the Spotify rate-limit window.", innerException: ex);
        }

        _loaded = true;
        if (stored is { NotBefore: var notBefore } && notBefore > _notBefore)
        {
            _notBefore = notBefore;
            _reason = stored.Reason;
            _quotaExceeded = stored.Reason == SpotifyErrorBody.QuotaExceededReason;
            if (notBefore > timeProvider.GetUtcNow())
            {
                SpotifyLog.RateLimitWindowLoaded(logger, notBefore);
            }
        }
    }

    private void Save(DateTimeOffset notBefore, bool quotaExceeded)
    {
        try
        {
            store.Save(notBefore, quotaExceeded ? SpotifyErrorBody.QuotaExceededReason : RateLimitReason);
        }
        catch (Exception ex)
        {
            SpotifyLog.RateLimitSaveFailed(logger, ex, notBefore);
        }
    }
}
