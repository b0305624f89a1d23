using OrleansSpotify.Spotify.Models;

namespace OrleansSpotify.Spotify;

/// <summary>
/// The few Web API endpoints we use. Every call takes the member's access token. Failures are thrown as
/// <see cref="SpotifyException"/> subclasses: <see cref="SpotifyUnauthorizedException"/> (401),
/// <see cref="SpotifyRateLimitedException"/> (429, or a call refused locally inside a Retry-After window),
/// <see cref="SpotifyForbiddenException"/> (403), <see cref="SpotifyTransientException"/> (5xx and timeouts
/// after the resilience pipeline's retries, malformed bodies).
/// </summary>
public interface ISpotifyApiClient
{
    Task<SpotifyUserProfile> GetMeAsync(string accessToken, CancellationToken cancellationToken = default);

    /// <summary><c>GET /me/player/currently-playing?additional_types=episode</c>; null on 204 (nothing playing).</summary>
    Task<CurrentlyPlaying?> GetCurrentlyPlayingAsync(string accessToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /me/player?additional_types=episode</c>: the playback state with its device (the private-session flag);
    /// null on 204 (no playback available or active). One call, like currently-playing.
    /// </summary>
    Task<PlayerState?> GetPlaybackStateAsync(string accessToken, CancellationToken cancellationToken = default);

    /// <summary><c>GET /me/player/recently-played?limit=</c>, newest first.</summary>
    Task<RecentlyPlayedPage> GetRecentlyPlayedAsync(string accessToken, int limit = 50, CancellationToken cancellationToken = default);

    /// <summary><c>GET /artists/{id}</c>, one artist at a time (the batch endpoint is gone for development-mode apps).</summary>
    Task<SpotifyArtistDetails> GetArtistAsync(string accessToken, string artistId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /tracks/{id}</c>, one track at a time (<c>GET /tracks?ids=</c> is gone for development-mode apps).</summary>
    Task<SpotifyPlayableItem> GetTrackAsync(string accessToken, string trackId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /search?type=track&amp;q=…&amp;limit=</c>: the first <paramref name="limit"/> tracks (1–10: the most a
    /// development-mode app may ask for since February 2026) in Spotify's order; <see cref="SpotifySearchQuery"/> builds <paramref name="query"/>.
    /// </summary>
    Task<IReadOnlyList<SpotifyPlayableItem>> SearchTracksAsync(string accessToken, string query, int limit = 5, CancellationToken cancellationToken = default);
}
