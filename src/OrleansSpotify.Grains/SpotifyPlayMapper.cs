using System.Collections.Immutable;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify.Models;

namespace OrleansSpotify.Grains;

/// <summary>Maps Spotify's player objects to the domain's plays and now-playing items. Pure functions.</summary>
public static class SpotifyPlayMapper
{
    /// <summary>The page's track plays (episodes and entries without a URI are not plays), in page order.</summary>
    public static ImmutableArray<PlayRecord> ToPlays(RecentlyPlayedPage page) =>
    [
        .. page.Items
            .Where(item => item.Track.IsTrack && !string.IsNullOrEmpty(item.Track.Uri))
            .Select(ToPlayRecord),
    ];

    /// <summary>One recently-played entry as a play; the entry must be a track with a URI.</summary>
    public static PlayRecord ToPlayRecord(PlayHistoryItem item) =>
        new(item.PlayedAt, ToTrackInfo(item.Track), null, item.Context?.Uri, item.Context?.Type, PlaySource.RecentlyPlayed);

    /// <summary>A track as the catalogue stores it (the widest album image); the track must have a URI.</summary>
    public static TrackInfo ToTrackInfo(SpotifyPlayableItem track)
    {
        var album = track.Album is { } a
            ? new AlbumInfo(a.Id, a.Name, a.AlbumType, a.ReleaseDate, a.Images.Count > 0 ? a.Images[0].Url : null)
            : null;
        return new TrackInfo(
            track.Uri!,
            track.Id,
            track.Name,
            track.DurationMs,
            track.Explicit,
            track.IsLocal,
            track.Isrc,
            album,
            [.. track.Artists.Select(artist => new ArtistInfo(artist.Id, artist.Name))]);
    }

    /// <summary>What currently-playing answered, observed at <paramref name="now"/>; null when it answered nothing (204).</summary>
    public static NowPlaying? ToNowPlaying(CurrentlyPlaying? current, DateTimeOffset now)
    {
        if (current is null)
        {
            return null;
        }

        var item = current.Item;
        var images = item?.Album?.Images ?? item?.Show?.Images ?? [];
        return new NowPlaying(
            item?.Type ?? current.CurrentlyPlayingType,
            current.IsPlaying,
            current.ProgressMs,
            item?.DurationMs,
            item?.Uri,
            item?.Name,
            item is null ? [] : item.IsEpisode && item.Show is { } show ? [show.Name] : [.. item.Artists.Select(a => a.Name)],
            item?.Album?.Name ?? item?.Show?.Name,
            images.Count > 0 ? images[0].Url : null,
            current.Context?.Uri,
            item?.IsLocal ?? false,
            now);
    }

    /// <summary>What the live state sees: nothing when Spotify answered nothing, or nothing is loaded (not playing, no item).</summary>
    public static NowPlaying? ToLiveItem(CurrentlyPlaying? current, NowPlaying? nowPlaying) =>
        current is null || (!current.IsPlaying && current.Item is null) ? null : nowPlaying;
}
