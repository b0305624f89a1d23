using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// Per-member walk: every log as it is, no merge.
public sealed partial class StatsEngine
{
    public SummaryStats Summary(StatsRequest request)
    {
        var tracks = new DistinctIds();
        var artists = new DistinctIds();
        var albums = new DistinctIds();
        long reported = 0, estimated = 0;
        var plays = 0;
        long skips = 0;
        long localFiles = 0;
        long? firstPlay = null, lastPlay = null;
        foreach (var (part, start, end) in PerMemberSlices(request.From, request.To))
        {
            for (var i = start; i < end; i++)
            {
                var track = part.TrackIds[i];
                tracks.Add(track);
                artists.Add(catalog.Artist(track));
                albums.Add(catalog.Album(track));
                localFiles += catalog.IsLocal(track) ? 1 : 0;

                if (part.MsReported[i])
                {
                    reported += part.Ms[i];
                }
                else
                {
                    estimated += part.Ms[i];
                }
            }

            plays += end - start;
            skips += part.SkipsBetween(request.From?.ToUnixTimeMilliseconds() ?? long.MinValue, request.To?.ToUnixTimeMilliseconds() ?? long.MaxValue);
            if (end > start)
            {
                firstPlay = Math.Min(firstPlay ?? long.MaxValue, part.PlayedAt[start]);
                lastPlay = Math.Max(lastPlay ?? long.MinValue, part.PlayedAt[end - 1]);
            }
        }

        var days = DayCount(request, firstPlay, lastPlay);
        var total = reported + estimated;
        return new SummaryStats(
            plays,
            new ListeningTime(total, reported, estimated),
            tracks.Count,
            artists.Count,
            albums.Count,
            firstPlay is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
            lastPlay is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null,
            days,
            days > 0 ? Math.Round((double)plays / days, 3) : 0,
            days > 0 ? Math.Round((double)total / days, 3) : 0,
            skips,
            localFiles);
    }

    private int DayCount(StatsRequest request, long? firstPlay, long? lastPlay)
    {
        if (request.From is null && request.To is null && firstPlay is null)
        {
            return 0;
        }

        var first = request.From is { } f ? _clock.Date(LocalClock.Clamp(f).ToUnixTimeMilliseconds()) : firstPlay is { } p ? _clock.Date(p) : (DateOnly?)null;
        // A range reaching into the future (this year's review, say) counts only the days that have begun.
        var today = _clock.Date(now.ToUnixTimeMilliseconds());
        var last = request.To is { } t ? Min(_clock.Date(LocalClock.Clamp(t).ToUnixTimeMilliseconds() - 1), today) : lastPlay is { } q ? _clock.Date(q) : (DateOnly?)null;
        return first is { } a && last is { } b && b >= a ? b.DayNumber - a.DayNumber + 1 : 0;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
