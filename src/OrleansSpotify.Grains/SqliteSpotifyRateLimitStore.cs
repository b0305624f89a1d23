using System.Globalization;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>Keeps the Spotify app's Retry-After window in SQLite so that a restart inside it sends nothing.</summary>
public sealed class SqliteSpotifyRateLimitStore(KeyValueStore store, TimeProvider timeProvider) : ISpotifyRateLimitStore
{
    private const string Key = "spotify.not-before";

    public DateTimeOffset? Load() =>
        store.Get(Key) is { } value && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    public void Save(DateTimeOffset notBefore, string reason) =>
        store.Set(Key, notBefore.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), timeProvider.GetUtcNow());
}
