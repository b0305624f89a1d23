using System.Text.Json.Serialization;

namespace OrleansSpotify.Spotify.Json;

// Wire shapes of the player endpoints (SPOTIFY.md §8). Every member is nullable: Spotify nulls ids, hrefs and
// uris for local files, nulls item/context/progress_ms, and has sent floats or objects where ints belong.

/// <summary><c>GET /me/player/currently-playing</c> (200).</summary>
internal sealed class CurrentlyPlayingDto
{
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? Timestamp { get; init; }

    [JsonConverter(typeof(LenientInt64Converter))]
    public long? ProgressMs { get; init; }

    public bool? IsPlaying { get; init; }

    public string? CurrentlyPlayingType { get; init; }

    public PlayableItemDto? Item { get; init; }

    public ContextDto? Context { get; init; }
}

/// <summary><c>GET /me/player</c> (200): the currently-playing fields plus the device, shuffle and repeat state.</summary>
internal sealed class PlayerStateDto
{
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? Timestamp { get; init; }

    [JsonConverter(typeof(LenientInt64Converter))]
    public long? ProgressMs { get; init; }

    public bool? IsPlaying { get; init; }

    public string? CurrentlyPlayingType { get; init; }

    public PlayableItemDto? Item { get; init; }

    public ContextDto? Context { get; init; }

    public DeviceDto? Device { get; init; }

    public string? RepeatState { get; init; }

    public bool? ShuffleState { get; init; }
}

/// <summary>The device of <c>GET /me/player</c>; <c>is_private_session</c> is the API's only private-session signal.</summary>
internal sealed class DeviceDto
{
    public string? Id { get; init; }

    public bool? IsActive { get; init; }

    public bool? IsPrivateSession { get; init; }

    public bool? IsRestricted { get; init; }

    public string? Name { get; init; }

    public string? Type { get; init; }
}

/// <summary>A TrackObject or an EpisodeObject, told apart by <see cref="Type"/>.</summary>
internal sealed class PlayableItemDto
{
    public string? Type { get; init; }

    public string? Id { get; init; }

    public string? Uri { get; init; }

    public string? Name { get; init; }

    [JsonConverter(typeof(LenientInt64Converter))]
    public long? DurationMs { get; init; }

    public bool? Explicit { get; init; }

    public bool? IsLocal { get; init; }

    public ExternalIdsDto? ExternalIds { get; init; }

    public AlbumDto? Album { get; init; }

    public List<ArtistDto?>? Artists { get; init; }

    /// <summary>Episodes only.</summary>
    public ShowDto? Show { get; init; }

    /// <summary>Episodes only: an episode carries its own images.</summary>
    public List<ImageDto?>? Images { get; init; }

    /// <summary>Episodes only.</summary>
    public string? ReleaseDate { get; init; }
}

internal sealed class ExternalIdsDto
{
    public string? Isrc { get; init; }
}

internal sealed class AlbumDto
{
    public string? Id { get; init; }

    public string? Uri { get; init; }

    public string? Name { get; init; }

    public string? AlbumType { get; init; }

    public string? ReleaseDate { get; init; }

    public List<ImageDto?>? Images { get; init; }

    public List<ArtistDto?>? Artists { get; init; }
}

internal sealed class ArtistDto
{
    public string? Id { get; init; }

    public string? Uri { get; init; }

    public string? Name { get; init; }
}

internal sealed class ShowDto
{
    public string? Id { get; init; }

    public string? Uri { get; init; }

    public string? Name { get; init; }

    /// <summary>Removed in Dev Mode (Feb 2026), so usually absent.</summary>
    public string? Publisher { get; init; }

    public List<ImageDto?>? Images { get; init; }
}

internal sealed class ImageDto
{
    public string? Url { get; init; }

    [JsonConverter(typeof(LenientInt32Converter))]
    public int? Width { get; init; }

    [JsonConverter(typeof(LenientInt32Converter))]
    public int? Height { get; init; }
}

internal sealed class ContextDto
{
    public string? Type { get; init; }

    public string? Uri { get; init; }
}

/// <summary><c>GET /me/player/recently-played</c>: <c>total</c> is often missing and <c>cursors</c> is null on an empty page.</summary>
internal sealed class RecentlyPlayedDto
{
    public List<PlayHistoryDto?>? Items { get; init; }

    public CursorsDto? Cursors { get; init; }

    public string? Next { get; init; }
}

internal sealed class CursorsDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? After { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Before { get; init; }
}

internal sealed class PlayHistoryDto
{
    public PlayableItemDto? Track { get; init; }

    /// <summary>Kept as text and parsed by <see cref="SpotifyTimestamps"/>: precision varies between captures.</summary>
    public string? PlayedAt { get; init; }

    public ContextDto? Context { get; init; }
}

/// <summary><c>GET /search?type=track</c>: <c>{"tracks": {"href", "limit", "next", "offset", "previous", "total", "items": [TrackObject]}}</c>.</summary>
internal sealed class SearchResultDto
{
    public TrackPageDto? Tracks { get; init; }
}

internal sealed class TrackPageDto
{
    public List<PlayableItemDto?>? Items { get; init; }
}
