namespace OrleansSpotify.Spotify.Models;

public sealed record SpotifyImage(string Url, int? Width, int? Height);

public sealed record SpotifyArtist(string? Id, string? Uri, string Name);

public sealed record SpotifyAlbum(
    string? Id,
    string? Uri,
    string Name,
    string? AlbumType,
    string? ReleaseDate,
    IReadOnlyList<SpotifyImage> Images,
    IReadOnlyList<SpotifyArtist> Artists);

public sealed record SpotifyShow(string? Id, string? Uri, string Name, string? Publisher, IReadOnlyList<SpotifyImage> Images);

/// <summary>A track or an episode; tell them apart by <see cref="Type"/> ("track" or "episode").</summary>
public sealed record SpotifyPlayableItem(
    string Type,
    string? Id,
    string? Uri,
    string Name,
    long DurationMs,
    bool Explicit,
    bool IsLocal,
    string? Isrc,
    SpotifyAlbum? Album,
    IReadOnlyList<SpotifyArtist> Artists,
    SpotifyShow? Show)
{
    public bool IsTrack => Type == "track";

    public bool IsEpisode => Type == "episode";
}

public sealed record SpotifyContext(string? Type, string? Uri);

/// <summary>
/// <c>GET /me/player/currently-playing</c> (200). <see cref="Item"/> is null for ads, unknown items and
/// episodes requested without <c>additional_types=episode</c>. <see cref="CurrentlyPlayingType"/> is
/// track, episode, ad or unknown.
/// </summary>
public sealed record CurrentlyPlaying(
    long Timestamp,
    long? ProgressMs,
    bool IsPlaying,
    string CurrentlyPlayingType,
    SpotifyPlayableItem? Item,
    SpotifyContext? Context);

/// <summary>The device of <c>GET /me/player</c>. <see cref="IsPrivateSession"/>: the member listens in a private session.</summary>
public sealed record SpotifyDevice(string? Id, string Name, string? Type, bool IsActive, bool IsPrivateSession, bool IsRestricted);

/// <summary>
/// <c>GET /me/player</c> (200): what currently-playing says (<see cref="Playback"/>) plus the <see cref="Device"/>
/// (null when Spotify sends none) and the repeat (<c>off</c>, <c>track</c>, <c>context</c>) and shuffle state.
/// </summary>
public sealed record PlayerState(CurrentlyPlaying Playback, SpotifyDevice? Device, string? RepeatState, bool ShuffleState)
{
    /// <summary>Whether the member listens in a private session: nothing of it may be recorded.</summary>
    public bool IsPrivateSession => Device?.IsPrivateSession ?? false;
}

/// <summary>One recently-played entry. <see cref="PlayedAt"/> is (about) the end of the play, UTC.</summary>
public sealed record PlayHistoryItem(SpotifyPlayableItem Track, DateTimeOffset PlayedAt, SpotifyContext? Context);

/// <summary><c>GET /me/player/recently-played</c>: newest first; cursors are null on an empty page.</summary>
public sealed record RecentlyPlayedPage(IReadOnlyList<PlayHistoryItem> Items, string? CursorAfter, string? CursorBefore, string? Next);
