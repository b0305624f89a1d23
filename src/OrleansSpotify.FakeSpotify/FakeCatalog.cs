using System.Globalization;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// A deterministic, realistic-looking music catalog: artists (with genres, some empty), albums and singles with
/// track numbers, tracks with ISRCs, featured artists and explicit flags, plus a few podcast episodes.
/// The same seed and sizes always give the same catalog.
/// </summary>
public sealed class FakeCatalog
{
    private readonly Dictionary<string, IReadOnlyList<string>> _genres;

    private FakeCatalog(
        IReadOnlyList<FakeArtist> artists,
        IReadOnlyList<FakeAlbum> albums,
        IReadOnlyList<FakeTrack> tracks,
        IReadOnlyList<FakeEpisode> episodes,
        Dictionary<string, IReadOnlyList<string>> genres)
    {
        Artists = artists;
        Albums = albums;
        Tracks = tracks;
        Episodes = episodes;
        _genres = genres;
    }

    public IReadOnlyList<FakeTrack> Tracks { get; }

    public IReadOnlyList<FakeArtist> Artists { get; }

    public IReadOnlyList<FakeAlbum> Albums { get; }

    /// <summary>Podcast episodes of a few shows (for sessions that play an episode).</summary>
    public IReadOnlyList<FakeEpisode> Episodes { get; }

    public FakeTrack this[int i] => Tracks[i];

    /// <summary>The genres <c>GET /v1/artists/{id}</c> reports for an artist of this catalog (often empty); empty for unknown ids.</summary>
    public IReadOnlyList<string> GenresOf(string artistId) => _genres.GetValueOrDefault(artistId) ?? [];

    public static FakeCatalog Generate(int seed, int trackCount = 500, int artistCount = 120)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trackCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(artistCount, 1);
        var random = new Random(seed);

        var artists = GenerateArtists(random, artistCount);
        var genres = artists.ToDictionary(a => a.Id, _ => GenerateGenres(random), StringComparer.Ordinal);
        var albums = new List<FakeAlbum>();
        var tracks = new List<FakeTrack>();
        var budgets = TrackBudgets(random, trackCount, artistCount);
        for (var i = 0; i < artists.Count; i++)
        {
            var remaining = budgets[i];
            while (remaining > 0)
            {
                var size = remaining <= 3 ? remaining : Math.Min(remaining, random.Next(100) < 25 ? random.Next(1, 4) : random.Next(7, 14));
                var album = GenerateAlbum(random, artists[i], size);
                albums.Add(album);
                for (var number = 1; number <= size; number++)
                {
                    tracks.Add(GenerateTrack(random, album, number, artists, genres[artists[i].Id]));
                }

                remaining -= size;
            }
        }

        return new FakeCatalog(artists, albums, tracks, GenerateEpisodes(random), genres);
    }

    private static List<FakeArtist> GenerateArtists(Random random, int count)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var artists = new List<FakeArtist>(count);
        while (artists.Count < count)
        {
            var name = ArtistName(random);
            for (var attempt = 0; attempt < 20 && names.Contains(name); attempt++)
            {
                name = ArtistName(random);
            }

            if (!names.Add(name))
            {
                name = $"{name} {ToRoman(names.Count(n => n.StartsWith(name, StringComparison.Ordinal)) + 1)}";
                names.Add(name);
            }

            artists.Add(new FakeArtist(SpotifyIds.NewId(random), name));
        }

        return artists;
    }

    private static string ArtistName(Random random) => random.Next(100) switch
    {
        < 40 => $"{random.Pick(CatalogWords.FirstNames)} {random.Pick(CatalogWords.LastNames)}",
        < 65 => $"The {random.Pick(CatalogWords.Adjectives)} {random.Pick(CatalogWords.Nouns)}",
        < 80 => $"{random.Pick(CatalogWords.Adjectives)} {random.Pick(CatalogWords.Nouns)}",
        < 90 => $"{random.Pick(CatalogWords.FirstNames)} & the {random.Pick(CatalogWords.Nouns)}",
        _ => random.Pick(CatalogWords.Nouns).ToUpperInvariant(),
    };

    /// <summary>Disambiguates the rare clash in very large catalogs ("Nora Hart II").</summary>
    private static string ToRoman(int number)
    {
        ReadOnlySpan<(int Value, string Numeral)> numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
        var roman = new System.Text.StringBuilder();
        foreach (var (value, numeral) in numerals)
        {
            for (; number >= value; number -= value)
            {
                roman.Append(numeral);
            }
        }

        return roman.ToString();
    }

    private static IReadOnlyList<string> GenerateGenres(Random random)
    {
        if (random.Next(100) < 25)
        {
            return [];
        }

        var count = random.Next(1, 4);
        return [.. Enumerable.Range(0, count).Select(_ => random.Pick(CatalogWords.Genres)).Distinct()];
    }

    /// <summary>Splits the tracks over the artists with a popularity skew; every artist gets one if there are enough.</summary>
    private static int[] TrackBudgets(Random random, int trackCount, int artistCount)
    {
        var weights = Enumerable.Range(0, artistCount).Select(_ => Math.Pow(random.NextDouble(), 2) + 0.15).ToArray();
        var total = weights.Sum();
        var budgets = weights.Select(w => (int)(trackCount * w / total)).ToArray();
        if (trackCount >= artistCount)
        {
            for (var i = 0; i < budgets.Length; i++)
            {
                budgets[i] = Math.Max(1, budgets[i]);
            }
        }

        var difference = trackCount - budgets.Sum();
        var order = Enumerable.Range(0, artistCount).OrderByDescending(i => weights[i]).ToArray();
        for (var k = 0; difference != 0; k = (k + 1) % artistCount)
        {
            var i = order[k];
            if (difference > 0)
            {
                budgets[i]++;
                difference--;
            }
            else if (budgets[i] > (trackCount >= artistCount ? 1 : 0))
            {
                budgets[i]--;
                difference++;
            }
        }

        return budgets;
    }

    private static FakeAlbum GenerateAlbum(Random random, FakeArtist artist, int size)
    {
        var type = size <= 3 ? "single" : random.Next(100) < 6 ? "compilation" : "album";
        var name = type switch
        {
            "compilation" => random.Next(2) == 0 ? "Greatest Hits" : $"The Best of {artist.Name}",
            _ => Title(random) + (type == "album" && random.Next(100) < 12 ? " (Deluxe Edition)" : ""),
        };
        var released = new DateOnly(1968, 1, 1).AddDays(random.Next(0, 58 * 365));
        var releaseDate = random.Next(100) switch
        {
            < 8 => released.ToString("yyyy", CultureInfo.InvariantCulture),
            < 14 => released.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => released.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        return new FakeAlbum(SpotifyIds.NewId(random), name, type, releaseDate, [artist], size);
    }

    private static FakeTrack GenerateTrack(Random random, FakeAlbum album, int number, List<FakeArtist> artists, IReadOnlyList<string> genres)
    {
        var primary = album.Artists[0];
        var name = album.AlbumType == "single" && number == 1 && album.TotalTracks == 1 ? album.Name : Title(random);
        var trackArtists = new List<FakeArtist> { primary };
        if (random.Next(100) < 12 && artists.Count > 1)
        {
            var featured = random.Pick(artists);
            if (featured != primary)
            {
                trackArtists.Add(featured);
                name += $" (feat. {featured.Name})";
            }
        }

        var year = int.Parse(album.ReleaseDate[..4], CultureInfo.InvariantCulture);
        if (year < 1990 && random.Next(100) < 30)
        {
            name += $" - Remastered {random.Next(2005, 2024)}";
        }

        var seconds = 130 + random.Next(0, 170) + (random.Next(100) < 8 ? random.Next(60, 300) : 0);
        var isrc = random.Next(100) < 95
            ? string.Create(CultureInfo.InvariantCulture, $"{random.Pick(CatalogWords.IsrcCountries)}{RandomLetters(random, 3)}{year % 100:00}{random.Next(0, 100_000):00000}")
            : null;
        return new FakeTrack(
            SpotifyIds.NewId(random),
            name,
            TimeSpan.FromSeconds(seconds) + TimeSpan.FromMilliseconds(random.Next(0, 1000)),
            album,
            trackArtists,
            Explicit: random.Next(100) < 15,
            Isrc: isrc,
            Genres: genres,
            TrackNumber: number,
            DiscNumber: 1);
    }

    private static List<FakeEpisode> GenerateEpisodes(Random random)
    {
        var episodes = new List<FakeEpisode>();
        foreach (var (show, titles) in CatalogWords.Shows)
        {
            var showId = SpotifyIds.NewId(random);
            foreach (var title in titles)
            {
                var minutes = random.Next(18, 75);
                episodes.Add(new FakeEpisode(SpotifyIds.NewId(random), title, TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(random.Next(60)), showId, show));
            }
        }

        return episodes;
    }

    private static string Title(Random random)
    {
        var pattern = random.Pick(CatalogWords.TitlePatterns);
        var title = pattern;
        while (title.Contains('{', StringComparison.Ordinal))
        {
            title = ReplaceFirst(title, "{A}", () => random.Pick(CatalogWords.Adjectives));
            title = ReplaceFirst(title, "{W}", () => random.Pick(CatalogWords.TitleWords));
            title = ReplaceFirst(title, "{N}", () => random.Pick(CatalogWords.Nouns));
        }

        return title;
    }

    private static string ReplaceFirst(string text, string token, Func<string> value)
    {
        var index = text.IndexOf(token, StringComparison.Ordinal);
        return index < 0 ? text : string.Concat(text.AsSpan(0, index), value(), text.AsSpan(index + token.Length));
    }

    private static string RandomLetters(Random random, int count) =>
        new([.. Enumerable.Range(0, count).Select(_ => (char)('A' + random.Next(26)))]);
}
