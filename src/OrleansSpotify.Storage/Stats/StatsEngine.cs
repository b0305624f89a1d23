namespace OrleansSpotify.Storage.Stats;

/// <summary>
/// Computes every stat from one or more <see cref="PlayLog"/>s (each sorted by time) in one pass or two over their
/// arrays. Days, weeks, months and hours are local to the request's zone. Artists are credited through each track's
/// primary artist.
/// <para>
/// Two walks, named in every helper that takes one:
/// the <b>per-member walk</b> (<see cref="PerMemberSlices"/>) runs over each log as it is, for the stats that do not
/// depend on the order of plays (summary, tops, heatmap, timeline), so a household's stats never pay for merging its
/// members' logs; the <b>merged-log walk</b> (<see cref="MergedLog"/>, <see cref="MergedSlice"/>) runs over every play
/// in one log sorted by time, for the stats that follow plays in order (streaks, discoveries, sessions, genres).
/// Each group of stats lives in its own file, <c>StatsEngine.&lt;Group&gt;.cs</c>, which names its walk at the top.
/// </para>
/// </summary>
public sealed partial class StatsEngine(IReadOnlyList<PlayLog> logs, CatalogSnapshot catalog, CatalogCache names, TimeZoneInfo zone, DateTimeOffset now)
{
    private readonly LocalClock _clock = new(zone);
    private PlayLog? _merged;

    public StatsEngine(PlayLog log, CatalogSnapshot catalog, CatalogCache names, TimeZoneInfo zone, DateTimeOffset now)
        : this([log], catalog, names, zone, now)
    {
    }

    /// <summary>Merged-log walk: every play of every log in one log sorted by time (merged on first use; one log is used as it is).</summary>
    private PlayLog MergedLog => _merged ??= logs.Count == 1 ? logs[0] : PlayLog.Merge(logs);

    /// <summary>Per-member walk: the index range of each log's plays in [from, to), in the order the logs were given.</summary>
    private List<(PlayLog Log, int Start, int End)> PerMemberSlices(DateTimeOffset? from, DateTimeOffset? to)
    {
        var slices = new List<(PlayLog, int, int)>(logs.Count);
        foreach (var part in logs)
        {
            var start = from is { } f ? part.LowerBound(f.ToUnixTimeMilliseconds()) : 0;
            var end = to is { } t ? part.LowerBound(t.ToUnixTimeMilliseconds()) : part.Count;
            slices.Add((part, start, Math.Max(start, end)));
        }

        return slices;
    }

    /// <summary>Merged-log walk: the index range of <see cref="MergedLog"/>'s plays in [from, to).</summary>
    private (int Start, int End) MergedSlice(DateTimeOffset? from, DateTimeOffset? to)
    {
        var start = from is { } f ? MergedLog.LowerBound(f.ToUnixTimeMilliseconds()) : 0;
        var end = to is { } t ? MergedLog.LowerBound(t.ToUnixTimeMilliseconds()) : MergedLog.Count;
        return (start, Math.Max(start, end));
    }
}
