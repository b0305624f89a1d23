using OrleansSpotify.Spotify.Models;

namespace OrleansSpotify.Spotify.Json;

/// <summary>Maps the tolerant wire shapes onto the public <see cref="Models"/> records.</summary>
internal static class PlayerMapper
{
    private const string TrackType = "track";
    private const string EpisodeType = "episode";
    private const string UnknownType = "unknown";
    private const string LocalUriPrefix = "spotify:local:";

    public static CurrentlyPlaying ToCurrentlyPlaying(CurrentlyPlayingDto dto)
    {
        var item = dto.Item is null ? null : ToPlayableItem(dto.Item);
        return new CurrentlyPlaying(
            Timestamp: dto.Timestamp ?? 0,
            ProgressMs: dto.ProgressMs,
            IsPlaying: dto.IsPlaying ?? false,
            CurrentlyPlayingType: NullIfEmpty(dto.CurrentlyPlayingType) ?? item?.Type ?? UnknownType,
            Item: item,
            Context: ToContext(dto.Context));
    }

    public static PlayerState ToPlayerState(PlayerStateDto dto)
    {
        var item = dto.Item is null ? null : ToPlayableItem(dto.Item);
        var playback = new CurrentlyPlaying(
            Timestamp: dto.Timestamp ?? 0,
            ProgressMs: dto.ProgressMs,
            IsPlaying: dto.IsPlaying ?? false,
            CurrentlyPlayingType: NullIfEmpty(dto.CurrentlyPlayingType) ?? item?.Type ?? UnknownType,
            Item: item,
            Context: ToContext(dto.Context));
        var device = dto.Device is { } d
            ? new SpotifyDevice(NullIfEmpty(d.Id), d.Name ?? "", NullIfEmpty(d.Type), d.IsActive ?? false, d.IsPrivateSession ?? false, d.IsRestricted ?? false)
            : null;
        return new PlayerState(playback, device, NullIfEmpty(dto.RepeatState), dto.ShuffleState ?? false);
    }

    /// <summary>Entries without a track or a readable <c>played_at</c> cannot be recorded and are counted in <paramref name="skipped"/>.</summary>
    public static RecentlyPlayedPage ToRecentlyPlayedPage(RecentlyPlayedDto dto, out int skipped)
    {
        skipped = 0;
        var items = new List<PlayHistoryItem>(dto.Items?.Count ?? 0);
        foreach (var entry in dto.Items ?? [])
        {
            if (entry?.Track is null || !SpotifyTimestamps.TryParse(entry.PlayedAt, out var playedAt))
            {
                skipped++;
                continue;
            }

            items.Add(new PlayHistoryItem(ToPlayableItem(entry.Track), playedAt, ToContext(entry.Context)));
        }

        return new RecentlyPlayedPage(items, dto.Cursors?.After, dto.Cursors?.Before, dto.Next);
    }

    public static SpotifyPlayableItem ToPlayableItem(PlayableItemDto dto)
    {
        var type = NullIfEmpty(dto.Type) ?? (dto.Show is null ? TrackType : EpisodeType);
        var isEpisode = type == EpisodeType;
        var show = isEpisode && dto.Show is not null ? ToShow(dto.Show, dto.Images) : null;

        return new SpotifyPlayableItem(
            Type: type,
            Id: NullIfEmpty(dto.Id),
            Uri: NullIfEmpty(dto.Uri),
            Name: dto.Name ?? "",
            DurationMs: dto.DurationMs ?? 0,
            Explicit: dto.Explicit ?? false,
            IsLocal: dto.IsLocal ?? dto.Uri?.StartsWith(LocalUriPrefix, StringComparison.Ordinal) ?? false,
            Isrc: NullIfEmpty(dto.ExternalIds?.Isrc),
            Album: isEpisode ? ShowAsAlbum(show, dto.ReleaseDate) : ToAlbum(dto.Album),
            Artists: ToArtists(dto.Artists),
            Show: show);
    }

    private static SpotifyAlbum? ToAlbum(AlbumDto? dto) => dto is null
        ? null
        : new SpotifyAlbum(
            NullIfEmpty(dto.Id),
            NullIfEmpty(dto.Uri),
            dto.Name ?? "",
            NullIfEmpty(dto.AlbumType),
            NullIfEmpty(dto.ReleaseDate),
            ToImages(dto.Images),
            ToArtists(dto.Artists));

    /// <summary>The episode's own images win over the show's: Spotify gives episodes their own artwork.</summary>
    private static SpotifyShow ToShow(ShowDto dto, List<ImageDto?>? episodeImages)
    {
        var images = ToImages(episodeImages);
        return new SpotifyShow(
            NullIfEmpty(dto.Id),
            NullIfEmpty(dto.Uri),
            dto.Name ?? "",
            NullIfEmpty(dto.Publisher),
            images.Count > 0 ? images : ToImages(dto.Images));
    }

    /// <summary>
    /// An episode's "album" is its show (album type <c>show</c>), so code that only reads <see cref="SpotifyPlayableItem.Album"/>
    /// still gets a name and artwork. Episodes have no artists.
    /// </summary>
    private static SpotifyAlbum? ShowAsAlbum(SpotifyShow? show, string? releaseDate) => show is null
        ? null
        : new SpotifyAlbum(show.Id, show.Uri, show.Name, "show", NullIfEmpty(releaseDate), show.Images, []);

    private static SpotifyContext? ToContext(ContextDto? dto) =>
        dto is null || (dto.Type is null && dto.Uri is null) ? null : new SpotifyContext(NullIfEmpty(dto.Type), NullIfEmpty(dto.Uri));

    private static IReadOnlyList<SpotifyArtist> ToArtists(List<ArtistDto?>? artists) =>
        artists is null or { Count: 0 }
            ? []
            : [.. artists.OfType<ArtistDto>().Select(a => new SpotifyArtist(NullIfEmpty(a.Id), NullIfEmpty(a.Uri), a.Name ?? ""))];

    /// <summary>Widest first (Spotify's documented order, enforced here); images without a URL are dropped.</summary>
    private static IReadOnlyList<SpotifyImage> ToImages(List<ImageDto?>? images) =>
        images is null or { Count: 0 }
            ? []
            : [.. images
                .OfType<ImageDto>()
                .Where(i => !string.IsNullOrEmpty(i.Url))
                .Select(i => new SpotifyImage(i.Url!, i.Width, i.Height))
                .OrderByDescending(i => i.Width ?? -1)];

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
