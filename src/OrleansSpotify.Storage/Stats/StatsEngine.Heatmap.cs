using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// Per-member walk: every log as it is, no merge.
public sealed partial class StatsEngine
{
    public Heatmap Heatmap(StatsRequest request)
    {
        var plays = Enumerable.Range(0, 7).Select(_ => new long[24]).ToArray();
        var ms = Enumerable.Range(0, 7).Select(_ => new long[24]).ToArray();
        foreach (var (part, start, end) in PerMemberSlices(request.From, request.To))
        {
            for (var i = start; i < end; i++)
            {
                var local = _clock.LocalDateTime(part.PlayedAt[i]);
                var weekday = ((int)local.DayOfWeek + 6) % 7;
                plays[weekday][local.Hour]++;
                ms[weekday][local.Hour] += part.Ms[i];
            }
        }

        return new Heatmap(plays, ms);
    }
}
