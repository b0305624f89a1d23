namespace OrleansSpotify.Spotify;

/// <summary>
/// Persists the app-wide "no request before" instant so that a restart inside a Retry-After window
/// still sends nothing. The host backs it with SQLite; <see cref="InMemorySpotifyRateLimitStore"/> is the default.
/// </summary>
public interface ISpotifyRateLimitStore
{
    DateTimeOffset? Load();

    void Save(DateTimeOffset notBefore, string reason);
}

public sealed class InMemorySpotifyRateLimitStore : ISpotifyRateLimitStore
{
    private DateTimeOffset? _notBefore;

    public DateTimeOffset? Load() => _notBefore;

    public void Save(DateTimeOffset notBefore, string reason) => _notBefore = notBefore;
}
