using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Benchmarks.Import;

/// <summary>
/// A deterministic extended-history-like stream of imported rows: one listener over the years, a catalogue of
/// <c>tracks</c> tracks by a quarter as many artists on a tenth as many albums, skewed taste (squared uniform picks),
/// plays ending 30 s to 6 min apart, a tenth of them skips, a few podcast episodes, full listening details.
/// </summary>
public static class ImportRows
{
    public static IEnumerable<ImportedPlay> Generate(int count, int tracks, int seed)
    {
        var random = new Random(seed);
        var at = new DateTimeOffset(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            at = at.AddSeconds(random.Next(30, 360));
            var ms = random.Next(10) == 0 ? random.Next(0, 30_000) : random.Next(30_000, 360_000);
            var details = new ListeningDetails("trackdone", random.Next(10) == 0 ? "fwdbtn" : "trackdone", random.Next(2) == 0, ms < 30_000, false, null, false, "android");
            if (random.Next(50) == 0)
            {
                var show = random.Next(40);
                yield return new ImportedPlay(i, ImportedKind.Episode, at, ms, $"spotify:episode:e{random.Next(2_000)}", "Episode", $"Show {show}", $"Show {show}", details, null);
                continue;
            }

            var pick = (int)(Math.Pow(random.NextDouble(), 2) * tracks);
            var artist = pick % Math.Max(1, tracks / 4);
            var album = pick % Math.Max(1, tracks / 10);
            yield return new ImportedPlay(i, ImportedKind.Track, at, ms, $"spotify:track:t{pick:D8}", $"Track {pick}", $"Artist {artist}", $"Album {album}", details, null);
        }
    }
}
