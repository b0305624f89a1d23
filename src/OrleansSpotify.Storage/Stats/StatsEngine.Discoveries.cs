using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// Merged-log walk: "first heard" follows plays in time order.
public sealed partial class StatsEngine
{
    public Discoveries Discoveries(StatsRequest request)
    {
        var (start, end) = MergedSlice(request.From, request.To);
        var firstTrack = new Dictionary<int, long>();
        var firstArtist = new Dictionary<int, long>();
        for (var i = 0; i < end; i++)
        {
            var track = MergedLog.TrackIds[i];
            firstTrack.TryAdd(track, MergedLog.PlayedAt[i]);
            if (catalog.Artist(track) is var artist and > 0)
            {
                firstArtist.TryAdd(artist, MergedLog.PlayedAt[i]);
            }
        }

        var trackPlays = new Dictionary<int, long>();
        var artistPlays = new Dictionary<int, long>();
        for (var i = start; i < end; i++)
        {
            var track = MergedLog.TrackIds[i];
            trackPlays[track] = trackPlays.GetValueOrDefault(track) + 1;
            if (catalog.Artist(track) is var artist and > 0)
            {
                artistPlays[artist] = artistPlays.GetValueOrDefault(artist) + 1;
            }
        }

        var lower = start < MergedLog.Count ? MergedLog.PlayedAt[start] : long.MaxValue;
        var newTracks = trackPlays.Where(t => firstTrack[t.Key] >= lower).ToList();
        var newArtists = artistPlays.Where(a => firstArtist[a.Key] >= lower).ToList();
        return new Discoveries(
            newTracks.Count,
            newArtists.Count,
            Discovered(newTracks, firstTrack, request.Limit, names.Tracks, ids => names.SortKeys(TopKind.Tracks, ids)),
            Discovered(newArtists, firstArtist, request.Limit, names.Artists, ids => names.SortKeys(TopKind.Artists, ids)));
    }

    /// <summary>Most plays first, then first heard earliest; ties on both by <see cref="CatalogSortKey"/> (never row id).</summary>
    private static List<Discovery> Discovered(
        List<KeyValuePair<int, long>> found,
        Dictionary<int, long> first,
        int limit,
        Func<IReadOnlyCollection<int>, IReadOnlyDictionary<int, CatalogEntry>> lookup,
        Func<IReadOnlyCollection<int>, IReadOnlyDictionary<int, CatalogSortKey>> sortKeys)
    {
        var ordered = found.OrderByDescending(f => f.Value).ThenBy(f => first[f.Key]).ToList();
        var top = ordered.Take(limit).ToList();
        if (top.Count > 0)
        {
            // The ones tied with the last kept may belong in the list once ties go by sort key.
            var last = top[^1];
            var candidates = ordered.Take(limit).Concat(ordered.Skip(limit).TakeWhile(f => f.Value == last.Value && first[f.Key] == first[last.Key])).ToList();
            var tied = candidates.GroupBy(f => (f.Value, first[f.Key])).Where(g => g.Count() > 1).SelectMany(g => g.Select(f => f.Key)).ToList();
            if (tied.Count > 0)
            {
                var keys = sortKeys(tied);
                top = [.. candidates.Order(Comparer<KeyValuePair<int, long>>.Create((a, b) =>
                {
                    var c = b.Value.CompareTo(a.Value);
                    c = c != 0 ? c : first[a.Key].CompareTo(first[b.Key]);
                    c = c != 0 ? c : CatalogSortKey.Compare(keys.GetValueOrDefault(a.Key), keys.GetValueOrDefault(b.Key));
                    return c != 0 ? c : a.Key.CompareTo(b.Key);
                })).Take(limit)];
            }
        }

        var entries = lookup([.. top.Select(t => t.Key)]);
        return [.. top.Select(t =>
        {
            var entry = entries.GetValueOrDefault(t.Key);
            return new Discovery(entry?.SpotifyId, entry?.Name ?? "Unknown", entry?.Subtitle, DateTimeOffset.FromUnixTimeMilliseconds(first[t.Key]), t.Value);
        })];
    }
}
