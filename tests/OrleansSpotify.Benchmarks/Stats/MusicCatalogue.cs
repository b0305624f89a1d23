using System.Collections.Immutable;
using System.Globalization;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Benchmarks.Stats;

/// <summary>
/// A deterministic music catalogue: artists ranked by a Zipf popularity, releases (albums of 8-16 tracks, EPs,
/// singles) whose primary artist is drawn by that popularity, and tracks with 1-3 artists (primary first). Each track
/// has a popularity score (its artist's, its release's, its own); <see cref="Charts"/> ranks every track by it.
/// </summary>
public sealed class MusicCatalogue
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly string[] FirstNames =
    [
        "Nora", "Elliot", "Maya", "Jonas", "Ava", "Theo", "Lena", "Marcus", "Ines", "Kai", "Sofia", "Oskar", "Amara",
        "Felix", "Hana", "Diego", "Clara", "Ravi", "Yara", "Leon", "Mina", "Tomas", "Zoe", "Arlo", "Freya", "Idris",
    ];

    private static readonly string[] LastNames =
    [
        "Hart", "Lindqvist", "Okafor", "Moreau", "Tanaka", "Reyes", "Becker", "Novak", "Quinn", "Sato", "Dubois",
        "Kowalski", "Fischer", "Alvarez", "Berg", "Costa", "Mendes", "Park", "Rossi", "Vance", "Wilde", "Young",
    ];

    private static readonly string[] Adjectives =
    [
        "Velvet", "Silver", "Golden", "Electric", "Quiet", "Wild", "Neon", "Hollow", "Paper", "Crystal", "Midnight",
        "Static", "Lunar", "Solar", "Crimson", "Faded", "Northern", "Broken", "Tender", "Restless", "Sunday", "Glass",
    ];

    private static readonly string[] Nouns =
    [
        "Harbor", "Tigers", "Lights", "Echoes", "Machines", "Rivers", "Ghosts", "Satellites", "Wolves", "Gardens",
        "Parade", "Mirrors", "Comets", "Horses", "Sirens", "Lanterns", "Waves", "Foxes", "Cities", "Dreamers",
    ];

    private static readonly string[] TitleWords =
    [
        "Love", "Night", "Heart", "Fire", "Rain", "Summer", "Home", "Dance", "Gold", "Stars", "Dream", "Light", "Road",
        "Ocean", "Sky", "Time", "Run", "Fall", "Youth", "Echo", "Motion", "Gravity", "Bloom", "Drive", "Wonder", "Fever",
        "Shelter", "Tides", "Paradise", "Overdrive", "Satellite", "Horizon", "Silence", "Sugar", "Highway", "Letters",
    ];

    private MusicCatalogue(
        ArtistInfo[] artists,
        AlbumInfo[] albums,
        TrackInfo[] tracks,
        int[] primaryArtistOf,
        int[][] tracksOfAlbum,
        int[][] tracksOfArtist,
        int[][] albumsOfArtist,
        int[] headliners,
        int[] charts,
        double[] artistPopularity)
    {
        Artists = artists;
        Albums = albums;
        Tracks = tracks;
        PrimaryArtistOf = primaryArtistOf;
        TracksOfAlbum = tracksOfAlbum;
        TracksOfArtist = tracksOfArtist;
        AlbumsOfArtist = albumsOfArtist;
        Headliners = headliners;
        Charts = charts;
        ArtistPopularity = artistPopularity;
    }

    public ArtistInfo[] Artists { get; }

    public AlbumInfo[] Albums { get; }

    public TrackInfo[] Tracks { get; }

    /// <summary>The primary artist (index into <see cref="Artists"/>) of each track.</summary>
    public int[] PrimaryArtistOf { get; }

    /// <summary>Each release's tracks in track-list order.</summary>
    public int[][] TracksOfAlbum { get; }

    /// <summary>Each artist's tracks as primary artist, most popular first (empty for featured-only artists).</summary>
    public int[][] TracksOfArtist { get; }

    /// <summary>Each artist's releases, most popular first.</summary>
    public int[][] AlbumsOfArtist { get; }

    /// <summary>The artists with at least one track of their own: the ones a listener's taste ranks.</summary>
    public int[] Headliners { get; }

    /// <summary>Every track, most popular first.</summary>
    public int[] Charts { get; }

    /// <summary>Each artist's Zipf popularity (artist 0 is the most popular).</summary>
    public double[] ArtistPopularity { get; }

    public static MusicCatalogue Generate(int trackCount, int artistCount, int seed)
    {
        var random = new Random(seed);
        var artistPopularity = Enumerable.Range(0, artistCount).Select(rank => 1 / Math.Pow(rank + 1, 0.9)).ToArray();
        var artists = Enumerable.Range(0, artistCount).Select(_ => new ArtistInfo(SpotifyId(random), ArtistName(random))).ToArray();

        // Popular artists release more; featured artists are drawn more evenly, so the long tail appears on tracks too.
        var releasingArtist = new ZipfSampler(artistCount, 0.75);
        var featuredArtist = new ZipfSampler(artistCount, 0.5);
        var albums = new List<AlbumInfo>();
        var albumArtist = new List<int>();
        var albumPopularity = new List<double>();
        var tracks = new List<TrackInfo>(trackCount);
        var trackScore = new List<double>(trackCount);
        var primaryOf = new List<int>(trackCount);
        var tracksOfAlbum = new List<int[]>();
        while (tracks.Count < trackCount)
        {
            var primary = releasingArtist.Next(random);
            var (albumType, size) = random.Next(100) switch
            {
                < 70 => ("album", random.Next(8, 17)),
                < 85 => ("single", random.Next(4, 7)),
                _ => ("single", random.Next(1, 3)),
            };
            size = Math.Min(size, trackCount - tracks.Count);
            var album = new AlbumInfo(
                SpotifyId(random),
                Title(random, 1, 3),
                albumType,
                new DateOnly(1965, 1, 1).AddDays((int)(Math.Sqrt(random.NextDouble()) * 22_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                $"https://i.scdn.co/image/ab67616d0000b273{random.NextInt64():x16}{random.Next():x8}");
            var popularity = random.NextLogNormal(0.8);
            var onAlbum = new int[size];
            for (var position = 0; position < size; position++)
            {
                var index = tracks.Count;
                onAlbum[position] = index;
                tracks.Add(Track(random, album, artists, primary, featuredArtist));
                primaryOf.Add(primary);

                // Opening tracks and singles are played more than deep cuts.
                trackScore.Add(artistPopularity[primary] * popularity * random.NextLogNormal(0.7) / Math.Sqrt(1 + position));
            }

            albums.Add(album);
            albumArtist.Add(primary);
            albumPopularity.Add(popularity);
            tracksOfAlbum.Add(onAlbum);
        }

        var charts = Enumerable.Range(0, tracks.Count).OrderByDescending(t => trackScore[t]).ThenBy(t => t).ToArray();
        var tracksOfArtist = new List<int>[artistCount];
        foreach (var track in charts)
        {
            (tracksOfArtist[primaryOf[track]] ??= []).Add(track);
        }

        var albumsOfArtist = new List<int>[artistCount];
        foreach (var album in Enumerable.Range(0, albums.Count).OrderByDescending(a => albumPopularity[a]).ThenBy(a => a))
        {
            (albumsOfArtist[albumArtist[album]] ??= []).Add(album);
        }

        return new MusicCatalogue(
            artists,
            [.. albums],
            [.. tracks],
            [.. primaryOf],
            [.. tracksOfAlbum],
            [.. tracksOfArtist.Select(t => t?.ToArray() ?? [])],
            [.. albumsOfArtist.Select(a => a?.ToArray() ?? [])],
            [.. Enumerable.Range(0, artistCount).Where(a => tracksOfArtist[a] is not null)],
            charts,
            artistPopularity);
    }

    private static TrackInfo Track(Random random, AlbumInfo album, ArtistInfo[] artists, int primary, ZipfSampler featuredArtist)
    {
        var featured = random.Next(100) switch
        {
            < 72 => 0,
            < 93 => 1,
            _ => 2,
        };
        var trackArtists = ImmutableArray.CreateBuilder<ArtistInfo>(1 + featured);
        trackArtists.Add(artists[primary]);
        for (var attempt = 0; trackArtists.Count < 1 + featured && attempt < 10; attempt++)
        {
            var artist = artists[featuredArtist.Next(random)];
            if (!trackArtists.Contains(artist))
            {
                trackArtists.Add(artist);
            }
        }

        var id = SpotifyId(random);
        var durationMs = (long)Math.Clamp(215_000 * random.NextLogNormal(0.3), 60_000, 900_000);
        var isrc = string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{random.Next(100, 1000)}{random.Next(60, 100)}{random.Next(0, 100_000):D5}");
        return new TrackInfo("spotify:track:" + id, id, Title(random, 1, 4), durationMs, random.Next(100) < 12, false, isrc, album, trackArtists.ToImmutable());
    }

    private static string ArtistName(Random random) => random.Next(3) switch
    {
        0 => $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}",
        1 => $"The {Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]}",
        _ => $"{Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]}",
    };

    private static string Title(Random random, int minWords, int maxWords) =>
        string.Join(' ', Enumerable.Range(0, random.Next(minWords, maxWords + 1)).Select(_ => TitleWords[random.Next(TitleWords.Length)]));

    private static string SpotifyId(Random random) => string.Create(22, random, static (chars, r) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base62[r.Next(Base62.Length)];
        }
    });
}
