namespace OrleansSpotify.Spotify;

/// <summary>
/// Persists the app-wide "no request before" instant so that a restart inside a Retry-After window
/// still sends nothing. The host backs it with SQLite; <see cref="InMemorySpotifyRateLimitStore"/> is the default.
/// </summary>
public interface ISpotifyRateLimitStore
{
    DateTimeOffset? Load();

    void Save(DateTimeOffset notBefore, string reason);

    /// <summary>The stored window with the reason it was saved with (null when the store keeps no reason).</summary>
    SpotifyPause? LoadPause() => Load() is { } notBefore ? new SpotifyPause(notBefore, null) : null;
}

/// <summary>
/// The app-wide pause: no request before <paramref name="NotBefore"/>, because of <paramref name="Reason"/>
/// (<c>QUOTA_EXCEEDED</c> or <c>RATE_LIMIT</c>; null when unknown, e.g. a window saved before reasons were kept).
/// </summary>
public sealed record SpotifyPause(DateTimeOffset NotBefore, string? Reason)
{
    public const string QuotaExceeded = "QUOTA_EXCEEDED";
    public const string RateLimit = "RATE_LIMIT";
}

/// <summary>The app-wide Retry-After window as the process's rate-limit gate holds it (loaded from the store at first use).</summary>
public interface ISpotifyRateLimitStatus
{
    /// <summary>The latest window, past or not; null when Spotify never asked for one. May read the store once (synchronously).</summary>
    SpotifyPause? GetPause();
}

public sealed class InMemorySpotifyRateLimitStore : ISpotifyRateLimitStore
{
    private SpotifyPause? _pause;

    public DateTimeOffset? Load() => _pause?.NotBefore;

    public SpotifyPause? LoadPause() => _pause;

    public void Save(DateTimeOffset notBefore, string reason) => _pause = new SpotifyPause(notBefore, reason);
}
