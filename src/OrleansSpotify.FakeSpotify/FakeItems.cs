namespace OrleansSpotify.FakeSpotify;

/// <summary>Something a user can play: a track, a podcast episode, an ad or a local file.</summary>
public abstract record FakeItem(string Name, TimeSpan Duration);

public sealed record FakeArtist(string Id, string Name)
{
    public string Uri => "spotify:artist:" + Id;
}

/// <param name="AlbumType">album, single or compilation.</param>
/// <param name="ReleaseDate">"1981", "1981-12" or "1981-12-15"; the precision follows from the length.</param>
public sealed record FakeAlbum(
    string Id,
    string Name,
    string AlbumType,
    string ReleaseDate,
    IReadOnlyList<FakeArtist> Artists,
    int TotalTracks = 1)
{
    public string Uri => "spotify:album:" + Id;
}

/// <param name="Genres">The genres of the track's primary artist, served by <c>GET /v1/artists/{id}</c> when no catalog knows the artist.</param>
public sealed record FakeTrack(
    string Id,
    string Name,
    TimeSpan Duration,
    FakeAlbum Album,
    IReadOnlyList<FakeArtist> Artists,
    bool Explicit = false,
    string? Isrc = null,
    IReadOnlyList<string>? Genres = null,
    int TrackNumber = 1,
    int DiscNumber = 1) : FakeItem(Name, Duration)
{
    public string Uri => "spotify:track:" + Id;
}

public sealed record FakeEpisode(string Id, string Name, TimeSpan Duration, string ShowId, string ShowName)
    : FakeItem(Name, Duration)
{
    public string Uri => "spotify:episode:" + Id;

    public string ShowUri => "spotify:show:" + ShowId;
}

/// <summary>An ad break (free tier): currently-playing reports type "ad" with a null item.</summary>
public sealed record FakeAd(TimeSpan Duration) : FakeItem("Advertisement", Duration);

/// <summary>A local file: every id is null and the URI is <c>spotify:local:artist:album:title:seconds</c>.</summary>
public sealed record FakeLocalTrack(string Name, TimeSpan Duration, string ArtistName, string AlbumName)
    : FakeItem(Name, Duration)
{
    public string Uri =>
        $"spotify:local:{Encode(ArtistName)}:{Encode(AlbumName)}:{Encode(Name)}:{(long)Duration.TotalSeconds}";

    private static string Encode(string part) => System.Uri.EscapeDataString(part).Replace("%20", "+", StringComparison.Ordinal);
}
