namespace OrleansSpotify.Abstractions;

/// <summary>
/// One per household account (key: the account key). Polls Spotify for the live view and the
/// authoritative history, and hands new plays to the <see cref="IStorageGrain"/>.
/// </summary>
[Alias("OrleansSpotify.IListenerGrain")]
public interface IListenerGrain : IGrainWithStringKey
{
    /// <summary>Stores a fresh grant (after sign-in), marks the account active and starts polling.</summary>
    [Alias("Authorize")]
    Task AuthorizeAsync(SpotifyGrant grant);

    /// <summary>Resumes polling if the account is active; idempotent (start-up task, watchdog).</summary>
    [Alias("EnsurePolling")]
    Task EnsurePollingAsync();

    /// <summary>Stops polling until the member signs in again.</summary>
    [Alias("Stop")]
    Task StopAsync();

    [Alias("GetStatus")]
    Task<ListenerStatus> GetStatusAsync();

    /// <summary>The last currently-playing observation, or null when nothing plays.</summary>
    [Alias("GetNowPlaying")]
    Task<NowPlaying?> GetNowPlayingAsync();

    /// <summary>Playing, paused or idle, since when, and the item (see <see cref="LiveState"/>).</summary>
    [Alias("GetLiveState")]
    Task<LiveState> GetLiveStateAsync();

    /// <summary>Looks an artist up with this member's token (for the genre fetcher); failures come back as a status.</summary>
    [Alias("LookUpArtist")]
    Task<ArtistLookup> LookUpArtistAsync(string spotifyArtistId);

    /// <summary>Looks a track up by id (<c>GET /tracks/{id}</c>) with this member's token, for the metadata fetcher; failures come back as a status.</summary>
    [Alias("LookUpTrack")]
    Task<TrackLookup> LookUpTrackAsync(string spotifyTrackId);

    /// <summary>
    /// Searches tracks (<c>GET /search?type=track</c>, at most <paramref name="limit"/> results, 1–10) by title and
    /// artist with this member's token, for the metadata fetcher; failures come back as a status.
    /// </summary>
    [Alias("SearchTracks")]
    Task<TrackLookup> SearchTracksAsync(string title, string? artist, int limit);
}
