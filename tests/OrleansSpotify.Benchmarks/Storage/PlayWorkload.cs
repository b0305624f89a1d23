using System.Collections.Immutable;
using System.Globalization;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Benchmarks.Storage;

/// <summary>One call of <see cref="IStorageGrain.RecordPlaysAsync"/>: an account's plays from one recently-played read.</summary>
public sealed record PlayRequest(string AccountKey, ImmutableArray<PlayRecord> Plays);

/// <summary>
/// A deterministic household listening history: a catalogue of tracks (1–3 artists each, on albums, some in
/// playlists), and per account a chronological run of plays with a skewed taste, cut into requests the way a
/// listener hands its recently-played reads to the storage grain.
/// </summary>
public sealed class PlayWorkload
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly DateTimeOffset HistoryStart = new(2025, 1, 1, 7, 0, 0, TimeSpan.Zero);

    private PlayWorkload(IReadOnlyList<string> accountKeys, IReadOnlyList<PlayRequest> requests, int tracks, int artists, int albums, int playlists)
    {
        AccountKeys = accountKeys;
        Requests = requests;
        Tracks = tracks;
        Artists = artists;
        Albums = albums;
        Playlists = playlists;
        Plays = requests.Sum(r => r.Plays.Length);
    }

    public IReadOnlyList<string> AccountKeys { get; }

    /// <summary>Every request, in arrival order: the accounts' requests interleaved round-robin.</summary>
    public IReadOnlyList<PlayRequest> Requests { get; }

    public int Plays { get; }

    public int Tracks { get; }

    public int Artists { get; }

    public int Albums { get; }

    public int Playlists { get; }

    public static PlayWorkload Generate(int accounts, int tracks, int plays, int requestSize, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tracks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(plays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestSize, 1);

        var random = new Random(seed);
        var artists = Enumerable.Range(0, Math.Max(1, tracks / 4))
            .Select(i => new ArtistInfo(SpotifyId(random), $"Artist {i}"))
            .ToArray();
        var albums = Enumerable.Range(0, Math.Max(1, tracks / 8))
            .Select(i => (Artist: artists[random.Next(artists.Length)], Album: Album(random, i)))
            .ToArray();
        var catalogue = Enumerable.Range(0, tracks).Select(i => Track(random, i, albums, artists)).ToArray();
        var playlists = Enumerable.Range(0, Math.Max(1, tracks / 50)).Select(_ => "spotify:playlist:" + SpotifyId(random)).ToArray();

        var accountKeys = Enumerable.Range(0, accounts).Select(i => $"bench-account-{i}").ToArray();
        var perAccount = new List<PlayRequest>[accounts];
        for (var a = 0; a < accounts; a++)
        {
            var count = plays / accounts + (a < plays % accounts ? 1 : 0);
            perAccount[a] = History(random, accountKeys[a], a, count, requestSize, catalogue, playlists);
        }

        var requests = new List<PlayRequest>();
        for (var round = 0; requests.Count < perAccount.Sum(r => r.Count); round++)
        {
            requests.AddRange(perAccount.Where(r => round < r.Count).Select(r => r[round]));
        }

        return new PlayWorkload(accountKeys, requests, catalogue.Length, artists.Length, albums.Length, playlists.Length);
    }

    /// <summary>The first requests in arrival order holding at least <paramref name="plays"/> plays (whole requests).</summary>
    public IReadOnlyList<PlayRequest> Take(int plays)
    {
        var taken = new List<PlayRequest>();
        var count = 0;
        foreach (var request in Requests)
        {
            if (count >= plays)
            {
                break;
            }

            taken.Add(request);
            count += request.Plays.Length;
        }

        return taken;
    }

    private static List<PlayRequest> History(Random random, string accountKey, int account, int count, int requestSize, TrackInfo[] catalogue, string[] playlists)
    {
        // Each account has its own favourites: the skew starts at a different point of the catalogue.
        var offset = catalogue.Length * account / 7;
        var playedAt = HistoryStart.AddMinutes(account * 13);
        var plays = new PlayRecord[count];
        for (var i = 0; i < count; i++)
        {
            var track = catalogue[(offset + (int)(catalogue.Length * Math.Pow(random.NextDouble(), 2.5))) % catalogue.Length];
            playedAt = playedAt.AddMilliseconds(track.DurationMs + random.Next(0, 600_000));
            var roll = random.Next(100);
            var (contextUri, contextType) = roll switch
            {
                < 55 => (playlists[random.Next(playlists.Length)], "playlist"),
                < 80 when track.Album is { SpotifyId: { } albumId } => ("spotify:album:" + albumId, "album"),
                _ => ((string?)null, (string?)null),
            };
            plays[i] = new PlayRecord(playedAt, track, null, contextUri, contextType, PlaySource.RecentlyPlayed);
        }

        return plays.Chunk(requestSize).Select(chunk => new PlayRequest(accountKey, [.. chunk])).ToList();
    }

    private static AlbumInfo Album(Random random, int index)
    {
        var released = new DateOnly(1960, 1, 1).AddDays(random.Next(0, 65 * 365));
        var albumType = random.Next(10) switch
        {
            < 6 => "album",
            < 9 => "single",
            _ => "compilation",
        };
        return new AlbumInfo(
            SpotifyId(random),
            $"Album {index}",
            albumType,
            released.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            $"https://i.scdn.co/image/ab67616d0000b273{random.NextInt64():x16}{random.NextInt64():x8}");
    }

    private static TrackInfo Track(Random random, int index, (ArtistInfo Artist, AlbumInfo Album)[] albums, ArtistInfo[] artists)
    {
        var (primary, album) = albums[random.Next(albums.Length)];
        var featured = random.Next(10) switch
        {
            < 7 => 0,
            < 9 => 1,
            _ => 2,
        };
        var trackArtists = ImmutableArray.CreateBuilder<ArtistInfo>(1 + featured);
        trackArtists.Add(primary);
        while (trackArtists.Count < 1 + featured)
        {
            var artist = artists[random.Next(artists.Length)];
            if (!trackArtists.Contains(artist))
            {
                trackArtists.Add(artist);
            }
            else if (artists.Length <= trackArtists.Count)
            {
                break;
            }
        }

        var id = SpotifyId(random);
        return new TrackInfo(
            "spotify:track:" + id,
            id,
            $"Track {index}",
            random.Next(120_000, 420_000),
            random.Next(100) < 15,
            false,
            string.Create(CultureInfo.InvariantCulture, $"USRC1{random.Next(0, 10_000_000):D7}"),
            album,
            trackArtists.ToImmutable());
    }

    private static string SpotifyId(Random random) => string.Create(22, random, static (chars, r) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base62[r.Next(Base62.Length)];
        }
    });
}
