using System.Globalization;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// Keeps the Spotify app's Retry-After window in SQLite so that a restart inside it sends nothing, and the reason it was
/// saved with (<c>QUOTA_EXCEEDED</c> or <c>RATE_LIMIT</c>), which the quota governor reports.
/// </summary>
public sealed class SqliteSpotifyRateLimitStore(KeyValueStore store, TimeProvider timeProvider) : ISpotifyRateLimitStore
{
    private const string Key = "spotify.not-before";
    private const string ReasonKey = "spotify.not-before.reason";

    public DateTimeOffset? Load() =>
        store.Get(Key) is { } value && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    public SpotifyPause? LoadPause() => Load() is { } notBefore ? new SpotifyPause(notBefore, store.Get(ReasonKey)) : null;

    public void Save(DateTimeOffset notBefore, string reason)
    {
        // The reason first: a crash between the two leaves the old window with the new reason, never a new window
        // with an old reason that would read as the cause of it.
        var now = timeProvider.GetUtcNow();
        store.Set(ReasonKey, reason, now);
        store.Set(Key, notBefore.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), now);
    }
}
