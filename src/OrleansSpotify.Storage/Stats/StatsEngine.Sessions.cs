using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// Merged-log walk: sessions follow plays in time order.
public sealed partial class StatsEngine
{
    public SessionStats Sessions(StatsRequest request)
    {
        var (start, end) = MergedSlice(request.From, request.To);
        var gap = request.SessionGapMinutes * 60_000L;
        var order = MergedPlaysByEndThenStart(start, end);
        var sessions = new List<ListeningSession>();
        var i = 0;
        while (i < order.Length)
        {
            var first = order[i];
            var sessionStart = MergedLog.PlayedAt[first] - MergedLog.Ms[first];
            var sessionEnd = MergedLog.PlayedAt[first];
            var plays = 1;
            long ms = MergedLog.Ms[first];
            var j = i + 1;
            while (j < order.Length && MergedLog.PlayedAt[order[j]] - MergedLog.Ms[order[j]] - sessionEnd <= gap)
            {
                var next = order[j];
                sessionStart = Math.Min(sessionStart, MergedLog.PlayedAt[next] - MergedLog.Ms[next]);
                sessionEnd = Math.Max(sessionEnd, MergedLog.PlayedAt[next]);
                plays++;
                ms += MergedLog.Ms[next];
                j++;
            }

            sessions.Add(new ListeningSession(DateTimeOffset.FromUnixTimeMilliseconds(sessionStart), DateTimeOffset.FromUnixTimeMilliseconds(sessionEnd), plays, ms));
            i = j;
        }

        var average = sessions.Count > 0 ? (long)sessions.Average(s => (s.End - s.Start).TotalMilliseconds) : 0;
        var longest = sessions.OrderByDescending(s => s.End - s.Start).ThenBy(s => s.Start).Take(request.Limit).ToList();
        return new SessionStats(sessions.Count, average, request.SessionGapMinutes, longest);
    }

    /// <summary>
    /// The plays of [start, end) by end time, and plays ending at the same instant by start (the longer first), so that
    /// sessions do not depend on the order plays were written in.
    /// </summary>
    private int[] MergedPlaysByEndThenStart(int start, int end)
    {
        var order = Enumerable.Range(start, end - start).ToArray();
        var ties = false;
        for (var i = start + 1; i < end && !ties; i++)
        {
            ties = MergedLog.PlayedAt[i] == MergedLog.PlayedAt[i - 1];
        }

        if (ties)
        {
            Array.Sort(order, (a, b) =>
            {
                var byEnd = MergedLog.PlayedAt[a].CompareTo(MergedLog.PlayedAt[b]);
                return byEnd != 0 ? byEnd : (MergedLog.PlayedAt[a] - MergedLog.Ms[a]).CompareTo(MergedLog.PlayedAt[b] - MergedLog.Ms[b]);
            });
        }

        return order;
    }
}
