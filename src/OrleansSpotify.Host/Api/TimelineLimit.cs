using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// Refuses a timeline of more than <see cref="TimelineBuckets.MaxBuckets"/> buckets before it is computed. An explicit
/// range counts every bucket it spans, played or not (the answer lists them all); an open end (<c>range=all</c>, no
/// <c>from</c> or no <c>to</c>) is the first or last play in the range, asked of the grain's (cached) summary.
/// </summary>
public static class TimelineLimit
{
    public static async Task<IDictionary<string, string[]>?> CheckAsync(StatsRequest request, Func<Task<SummaryStats>> summary)
    {
        var from = request.From;
        var to = request.To;
        if (from is null || to is null)
        {
            var plays = await summary();
            if (plays.FirstPlay is not { } first || plays.LastPlay is not { } last)
            {
                return null;
            }

            from ??= first;
            to ??= last.AddMilliseconds(1);
        }

        var clock = new LocalClock(Zones.Find(request.TimeZone));
        var count = TimelineBuckets.Count(clock, from.Value, to.Value, request.Bucket);
        if (count <= TimelineBuckets.MaxBuckets)
        {
            return null;
        }

        var unit = request.Bucket.ToString().ToLowerInvariant();
        return new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["bucket"] =
            [
                $"The range holds {count:N0} {unit}s; a timeline answers at most {TimelineBuckets.MaxBuckets:N0} buckets: " +
                "use a larger bucket (week, month) or a shorter range.",
            ],
        };
    }
}
