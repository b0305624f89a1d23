using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify.Models;

namespace OrleansSpotify.Grains.Tests;

/// <summary>Spotify's player objects to plays and now-playing items: pure functions, no cluster.</summary>
public sealed class SpotifyPlayMapperTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly SpotifyAlbum Album = new(
        "alb1", "spotify:album:alb1", "The Album", "album", "2024-05-01",
        [new SpotifyImage("https://img/large", 640, 640), new SpotifyImage("https://img/small", 64, 64)],
        [new SpotifyArtist("art1", "spotify:artist:art1", "First")]);

    private static readonly SpotifyPlayableItem Song = new(
        "track", "trk1", "spotify:track:trk1", "A Song", 201_000, true, false, "USRC17607839", Album,
        [new SpotifyArtist("art1", "spotify:artist:art1", "First"), new SpotifyArtist(null, null, "Guest")], null);

    private static readonly SpotifyShow Show = new("show1", "spotify:show:show1", "The Show", "Publisher", [new SpotifyImage("https://img/show", 300, 300)]);

    private static readonly SpotifyPlayableItem Episode = new(
        "episode", "ep1", "spotify:episode:ep1", "Episode One", 1_800_000, false, false, null, null, [], Show);

    [Fact]
    public void AHistoryEntryBecomesAPlayWithItsTrackAlbumArtistsAndContext()
    {
        var play = SpotifyPlayMapper.ToPlayRecord(new PlayHistoryItem(Song, T0, new SpotifyContext("playlist", "spotify:playlist:p1")));

        Assert.Equal(T0, play.PlayedAt);
        Assert.Equal(PlaySource.RecentlyPlayed, play.Source);
        Assert.Equal("spotify:playlist:p1", play.ContextUri);
        Assert.Equal("playlist", play.ContextType);
        Assert.Equal("spotify:track:trk1", play.Track.Uri);
        Assert.Equal("trk1", play.Track.SpotifyId);
        Assert.Equal("A Song", play.Track.Name);
        Assert.Equal(201_000, play.Track.DurationMs);
        Assert.True(play.Track.Explicit);
        Assert.False(play.Track.IsLocal);
        Assert.Equal("USRC17607839", play.Track.Isrc);
        Assert.Equal(new AlbumInfo("alb1", "The Album", "album", "2024-05-01", "https://img/large"), play.Track.Album);
        Assert.Equal([new ArtistInfo("art1", "First"), new ArtistInfo(null, "Guest")], play.Track.Artists);
    }

    [Fact]
    public void AnEntryWithoutContextOrAlbumImagesMapsToNulls()
    {
        var bare = Song with { Album = Album with { Images = [] } };
        var play = SpotifyPlayMapper.ToPlayRecord(new PlayHistoryItem(bare, T0, null));

        Assert.Null(play.ContextUri);
        Assert.Null(play.ContextType);
        Assert.Null(play.Track.Album?.ImageUrl);
        Assert.Null(SpotifyPlayMapper.ToPlayRecord(new PlayHistoryItem(Song with { Album = null }, T0, null)).Track.Album);
    }

    [Fact]
    public void APageKeepsOnlyTracksWithAUriInPageOrder()
    {
        var page = new RecentlyPlayedPage(
        [
            new PlayHistoryItem(Song, T0, null),
            new PlayHistoryItem(Episode, T0.AddMinutes(-30), null),
            new PlayHistoryItem(Song with { Uri = null }, T0.AddMinutes(-40), null),
            new PlayHistoryItem(Song with { Uri = "" }, T0.AddMinutes(-45), null),
            new PlayHistoryItem(Song with { Uri = "spotify:track:trk2", Id = "trk2" }, T0.AddMinutes(-50), null),
        ], null, null, null);

        var plays = SpotifyPlayMapper.ToPlays(page);

        Assert.Equal([T0, T0.AddMinutes(-50)], plays.Select(p => p.PlayedAt));
        Assert.Equal(["spotify:track:trk1", "spotify:track:trk2"], plays.Select(p => p.Track.Uri));
        Assert.Empty(SpotifyPlayMapper.ToPlays(new RecentlyPlayedPage([], null, null, null)));
    }

    [Fact]
    public void ATrackPlayingNowMapsWithItsArtistsAlbumAndFirstImage()
    {
        var current = new CurrentlyPlaying(0, 42_000, true, "track", Song, new SpotifyContext("album", "spotify:album:alb1"));

        var item = SpotifyPlayMapper.ToNowPlaying(current, T0);

        Assert.Equal(
            new NowPlaying("track", true, 42_000, 201_000, "spotify:track:trk1", "A Song", item!.Artists, "The Album", "https://img/large", "spotify:album:alb1", false, T0),
            item);
        Assert.Equal(["First", "Guest"], item.Artists);
        Assert.Same(item, SpotifyPlayMapper.ToLiveItem(current, item));
    }

    [Fact]
    public void AnEpisodeNamesItsShowAsArtistAndAlbum()
    {
        var item = SpotifyPlayMapper.ToNowPlaying(new CurrentlyPlaying(0, 1_000, false, "episode", Episode, null), T0);

        Assert.Equal("episode", item?.ItemType);
        Assert.False(item?.IsPlaying);
        Assert.Equal(["The Show"], item?.Artists);
        Assert.Equal("The Show", item?.AlbumName);
        Assert.Equal("https://img/show", item?.ImageUrl);
    }

    [Fact]
    public void AnAdHasOnlyItsTypeAndNothingLoadedIsNotLive()
    {
        var ad = new CurrentlyPlaying(0, null, true, "ad", null, null);
        var item = SpotifyPlayMapper.ToNowPlaying(ad, T0);

        Assert.Equal(new NowPlaying("ad", true, null, null, null, null, item!.Artists, null, null, null, false, T0), item);
        Assert.Empty(item.Artists);
        Assert.Equal(new ItemKey("ad"), ItemKey.Of(item));
        Assert.Same(item, SpotifyPlayMapper.ToLiveItem(ad, item));

        // Paused with nothing loaded is "nothing" for the live state, though currently-playing answered.
        var unloaded = new CurrentlyPlaying(0, null, false, "unknown", null, null);
        Assert.NotNull(SpotifyPlayMapper.ToNowPlaying(unloaded, T0));
        Assert.Null(SpotifyPlayMapper.ToLiveItem(unloaded, SpotifyPlayMapper.ToNowPlaying(unloaded, T0)));

        Assert.Null(SpotifyPlayMapper.ToNowPlaying(null, T0));
        Assert.Null(SpotifyPlayMapper.ToLiveItem(null, null));
    }
}
