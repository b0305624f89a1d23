using System.Collections.Immutable;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// A deterministic catalogue: 60 artists with Spotify ids (55 of them primary somewhere, 5 only ever featured),
/// 3 local artists known by name, 80 albums and 300 tracks. Tracks 285-291 have no album, 292-294 no artists,
/// 295-299 are local files (no Spotify ids, an album nothing identifies). Durations come from 8 values, so
/// estimated times tie often and the id tie-break of the rankings is exercised.
/// </summary>
internal sealed class StatsCatalogue
{
    public const int TrackCount = 300;

    public StatsCatalogue(int seed)
    {
        var random = new Random(seed);
        Artists = [.. Enumerable.Range(0, 60).Select(i => new ArtistInfo($"art{i:D2}", $"Artist {i:D2}"))];
        var localArtists = Enumerable.Range(0, 3).Select(i => new ArtistInfo(null, $"Local Artist {i}")).ToArray();
        Albums = [.. Enumerable.Range(0, 80).Select(i => new AlbumInfo($"alb{i:D2}", $"Album {i:D2}", "album", "2020-01-01", $"https://img/alb{i:D2}"))];
        var albumArtist = Enumerable.Range(0, 80).Select(i => i < 55 ? i : random.Next(55)).ToArray();
        var localAlbum = new AlbumInfo(null, "Local Files", null, null, null);

        var tracks = new List<TrackInfo>();
        for (var j = 0; j < TrackCount; j++)
        {
            var duration = 150_000 + (15_000 * (j % 8));
            if (j >= 295)
            {
                var artist = localArtists[j % 3];
                tracks.Add(new TrackInfo($"spotify:local:{Uri.EscapeDataString(artist.Name)}:Local+Files:Local+Song+{j}:180", null, $"Local Song {j}", duration, false, true, null, localAlbum, [artist]));
                continue;
            }

            AlbumInfo? album;
            ImmutableArray<ArtistInfo> artists;
            if (j < 285)
            {
                var albumIndex = j * 80 / 285;
                album = Albums[albumIndex];
                var primary = random.NextDouble() < 0.85 ? Artists[albumArtist[albumIndex]] : Artists[random.Next(55)];
                artists = [primary];
                if (random.NextDouble() < 0.25)
                {
                    artists = artists.Add(Artists[55 + random.Next(5)]);
                }

                if (random.NextDouble() < 0.1)
                {
                    artists = artists.Add(Artists[random.Next(55)]);
                }
            }
            else if (j < 292)
            {
                album = null;
                artists = [Artists[random.Next(55)]];
            }
            else
            {
                album = Albums[random.Next(80)];
                artists = [];
            }

            tracks.Add(new TrackInfo($"spotify:track:trk{j:D3}", $"trk{j:D3}", $"Track {j:D3}", duration, j % 5 == 0, false, $"ISRC{j:D3}", album, artists));
        }

        Tracks = tracks;
    }

    public IReadOnlyList<ArtistInfo> Artists { get; }

    public IReadOnlyList<AlbumInfo> Albums { get; }

    public IReadOnlyList<TrackInfo> Tracks { get; }
}

/// <summary>How one generated account listens.</summary>
internal sealed record ListenerProfile(int Seed, DateOnly First, DateOnly Last, double ActiveDays, int ForcedTailDays, double ClusterShare, double MidnightShare);

/// <summary>
/// Deterministic plays for one account: daily sessions (Zipf-ish popularity, tracks that only become available
/// later, repeats, skips, reported and estimated times, gaps either side of the session threshold), dense clusters
/// around every DST transition of the test zones, and plays at, just before and just after local midnights.
/// Every play of an account ends at a distinct millisecond, so "sorted by played_at" is unambiguous.
/// </summary>
internal static class StatsDataSet
{
    private const long DayMs = 86_400_000;

    /// <summary>Plays before this instant are mostly imports (reported time), later ones mostly recently-played.</summary>
    private static readonly long ImportCutoff = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static List<PlayRecord> Generate(StatsCatalogue catalogue, ListenerProfile profile, IReadOnlyList<long> transitions, IReadOnlyList<long> midnights)
    {
        var random = new Random(profile.Seed);
        var tracks = catalogue.Tracks;
        var plays = new List<PlayRecord>();
        var taken = new HashSet<long>();
        var spanStart = OracleTime.UtcMs(profile.First);
        var spanEnd = OracleTime.UtcMs(profile.Last.AddDays(1));

        // Popularity: a per-account ranking with Zipf weights; 40% of the tracks only become available later on.
        var ranking = Enumerable.Range(0, tracks.Count).OrderBy(_ => random.Next()).ToArray();
        var cumulative = new double[ranking.Length];
        var total = 0.0;
        for (var rank = 0; rank < ranking.Length; rank++)
        {
            total += 1.0 / Math.Pow(rank + 1, 1.1);
            cumulative[rank] = total;
        }

        var availableFrom = tracks.Select(_ => random.NextDouble() < 0.4 ? spanStart + random.NextInt64(spanEnd - spanStart) : long.MinValue).ToArray();
        foreach (var favourite in ranking.Take(5))
        {
            availableFrom[favourite] = long.MinValue;
        }

        TrackInfo Pick(long at)
        {
            for (var attempt = 0; attempt < 30; attempt++)
            {
                var rank = Array.BinarySearch(cumulative, random.NextDouble() * total);
                var index = ranking[Math.Min(rank < 0 ? ~rank : rank, ranking.Length - 1)];
                if (availableFrom[index] <= at)
                {
                    return tracks[index];
                }
            }

            return tracks[ranking[0]];
        }

        void Add(long at, TrackInfo track, long listened)
        {
            while (!taken.Add(at))
            {
                at++;
            }

            var reported = random.NextDouble() < (at < ImportCutoff ? 0.85 : 0.15);
            plays.Add(reported
                ? new PlayRecord(DateTimeOffset.FromUnixTimeMilliseconds(at), track, listened, null, null, PlaySource.ImportExtendedHistory)
                : new PlayRecord(DateTimeOffset.FromUnixTimeMilliseconds(at), track, null, "spotify:playlist:mix", "playlist", PlaySource.RecentlyPlayed));
        }

        long Listened(TrackInfo track) => random.Next(10) switch
        {
            0 => 0,                                              // skipped at once: reported 0 ms
            < 4 => random.NextInt64(1_000, track.DurationMs),    // skipped part-way: an estimate overlaps the next play
            _ => track.DurationMs,
        };

        // Exact instants first, so that they are never nudged off their millisecond by a collision.
        foreach (var midnight in midnights)
        {
            foreach (var delta in new long[] { -1, 0, 1 })
            {
                if (random.NextDouble() < profile.MidnightShare)
                {
                    var track = Pick(midnight);
                    Add(midnight + delta, track, Listened(track));
                }
            }
        }

        foreach (var transition in transitions.Where(t => random.NextDouble() < profile.ClusterShare))
        {
            foreach (var delta in new long[] { -1, 0, 1 })
            {
                var track = Pick(transition);
                Add(transition + delta, track, Listened(track));
            }

            for (var k = -15; k <= 15; k++)
            {
                var track = Pick(transition);
                Add(transition + (k * 360_000) + random.Next(60_000), track, Listened(track));
            }
        }

        for (var day = profile.First; day <= profile.Last; day = day.AddDays(1))
        {
            var forced = day > profile.Last.AddDays(-profile.ForcedTailDays);
            if (!forced && random.NextDouble() >= profile.ActiveDays)
            {
                continue;
            }

            var sessions = random.Next(1, 3);
            for (var s = 0; s < sessions; s++)
            {
                var at = OracleTime.UtcMs(day) + random.NextInt64(DayMs);
                TrackInfo? previous = null;
                var count = random.Next(1, 11);
                for (var k = 0; k < count; k++)
                {
                    var track = previous is not null && random.NextDouble() < 0.12 ? previous : Pick(at);
                    var listened = Listened(track);
                    at += listened;
                    Add(at, track, listened);
                    previous = track;
                    at += random.NextDouble() < 0.1 ? random.NextInt64(10, 45) * 60_000 : random.NextInt64(30_000);
                }
            }
        }

        return plays;
    }
}
