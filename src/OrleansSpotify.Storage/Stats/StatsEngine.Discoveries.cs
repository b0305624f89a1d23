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
            Discovered(newTracks, firstTrack, request.Limit, names.Tracks),
            Discovered(newArtists, firstArtist, request.Limit, names.Artists));
    }

    private static List<Discovery> Discovered(
        List<KeyValuePair<int, long>> found,
        Dictionary<int, long> first,
        int limit,
        Func<IReadOnlyCollection<int>, IReadOnlyDictionary<int, CatalogEntry>> lookup)
    {
        var top = found.OrderByDescending(f => f.Value).ThenBy(f => first[f.Key]).ThenBy(f => f.Key).Take(limit).ToList();
        var entries = lookup([.. top.Select(t => t.Key)]);
        return [.. top.Select(t =>
        {
            var entry = entries.GetValueOrDefault(t.Key);
            return new Discovery(entry?.SpotifyId, entry?.Name ?? "Unknown", entry?.Subtitle, DateTimeOffset.FromUnixTimeMilliseconds(first[t.Key]), t.Value);
        })];
    }
}
