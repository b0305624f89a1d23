using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// Merged-log walk.
public sealed partial class StatsEngine
{
    /// <summary>Top genres; <paramref name="genres"/> holds the known genres per artist id.</summary>
    public GenreStats Genres(StatsRequest request, IReadOnlyDictionary<int, string[]> genres)
    {
        var (start, end) = MergedSlice(request.From, request.To);
        var tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var unknown = new Tally();
        var withGenres = new HashSet<int>();
        var withoutGenres = new HashSet<int>();
        for (var i = start; i < end; i++)
        {
            var artist = catalog.Artist(MergedLog.TrackIds[i]);
            if (artist > 0 && genres.TryGetValue(artist, out var names) && names.Length > 0)
            {
                withGenres.Add(artist);
                foreach (var name in names)
                {
                    if (!tallies.TryGetValue(name, out var tally))
                    {
                        tallies[name] = tally = new Tally();
                    }

                    tally.Add(MergedLog.Ms[i], MergedLog.MsReported[i]);
                }
            }
            else
            {
                withoutGenres.Add(artist);
                unknown.Add(MergedLog.Ms[i], MergedLog.MsReported[i]);
            }
        }

        var ordered = request.By == TopOrder.Time
            ? tallies.OrderByDescending(t => t.Value.TotalMs).ThenByDescending(t => t.Value.Plays)
            : tallies.OrderByDescending(t => t.Value.Plays).ThenByDescending(t => t.Value.TotalMs);
        var items = ordered.ThenBy(t => t.Key, StringComparer.Ordinal).Take(request.Limit)
            .Select((t, i) => new GenreEntry(i + 1, t.Key, t.Value.Plays, t.Value.Time()))
            .ToList();
        return new GenreStats(items, unknown.Plays, unknown.Time(), withGenres.Count, withoutGenres.Count);
    }
}
