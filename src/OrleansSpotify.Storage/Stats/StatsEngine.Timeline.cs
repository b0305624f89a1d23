using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// Per-member walk: every log as it is, no merge.
public sealed partial class StatsEngine
{
    public Timeline Timeline(StatsRequest request)
    {
        var slices = PerMemberSlices(request.From, request.To);

        // Count per local day into an array (plays are sorted, so local days span [first - 1, last + 1] at most,
        // DST included), then fold days into buckets.
        var counts = new SortedDictionary<DateOnly, (long Plays, long Ms)>();
        var nonEmpty = slices.Where(s => s.End > s.Start).ToList();
        if (nonEmpty.Count > 0)
        {
            var firstDay = _clock.DayNumber(nonEmpty.Min(s => s.Log.PlayedAt[s.Start])) - 1;
            var days = _clock.DayNumber(nonEmpty.Max(s => s.Log.PlayedAt[s.End - 1])) + 2 - firstDay;
            var plays = new long[days];
            var ms = new long[days];
            foreach (var (part, start, end) in nonEmpty)
            {
                for (var i = start; i < end; i++)
                {
                    var index = _clock.DayNumber(part.PlayedAt[i]) - firstDay;
                    plays[index]++;
                    ms[index] += part.Ms[i];
                }
            }

            for (var d = 0; d < days; d++)
            {
                if (plays[d] > 0)
                {
                    var bucket = TimelineBuckets.Start(DateOnly.FromDayNumber(firstDay + d), request.Bucket);
                    var (p, m) = counts.GetValueOrDefault(bucket);
                    counts[bucket] = (p + plays[d], m + ms[d]);
                }
            }
        }

        // An open end is the first or last bucket with plays; an explicit one is the bucket of the range's first
        // (last) local day, clamped to the instants stats know. Callers keep the count within MaxBuckets.
        var first = request.From is { } f ? _clock.Date(LocalClock.Clamp(f).ToUnixTimeMilliseconds()) : counts.Keys.FirstOrDefault();
        var last = request.To is { } t ? _clock.Date(LocalClock.Clamp(t).ToUnixTimeMilliseconds() - 1) : counts.Keys.LastOrDefault();
        var points = new List<TimelinePoint>();
        if (counts.Count > 0 || (request.From is not null && request.To is not null))
        {
            var count = TimelineBuckets.Count(first, last, request.Bucket);
            if (count > TimelineBuckets.MaxBuckets)
            {
                throw new ArgumentOutOfRangeException(nameof(request), $"The timeline would have {count} buckets; at most {TimelineBuckets.MaxBuckets} are answered.");
            }

            var start = TimelineBuckets.Start(first, request.Bucket);
            for (var i = 0; i < count; i++)
            {
                var bucket = TimelineBuckets.At(start, i, request.Bucket);
                var (p, m) = counts.GetValueOrDefault(bucket);
                points.Add(new TimelinePoint(bucket, p, m));
            }
        }

        return new Timeline(request.Bucket, points);
    }
}
