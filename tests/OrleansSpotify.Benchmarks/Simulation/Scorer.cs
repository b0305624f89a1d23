namespace OrleansSpotify.Benchmarks.Simulation;

/// <summary>A play a strategy recorded: whose, which item, and the time it stamped it with (start or end of the play).</summary>
public sealed record RecordedPlay(int Member, string ItemUri, DateTimeOffset At);

/// <summary>A strategy's live view started showing <paramref name="ItemUri"/> playing for a member at <paramref name="At"/>.</summary>
public sealed record Sighting(int Member, string ItemUri, DateTimeOffset At);

/// <summary>How one strategy did on the week.</summary>
public sealed record Score(
    int MusicTotal,
    int MusicFound,
    int SkipTotal,
    int SkipFound,
    int OtherTotal,
    int OtherFound,
    int Duplicates,
    int FalsePlays,
    int PrivateRecorded,
    int Unreachable,
    int UnreachableFound,
    IReadOnlyList<TruePlay> Missed,
    IReadOnlyList<TimeSpan> EndLatencies,
    int EndUnseen,
    IReadOnlyList<TimeSpan> SkipLatencies,
    int SkipUnseen)
{
    /// <summary>Recorded plays that matched no true play (for the report's evidence).</summary>
    public IReadOnlyList<RecordedPlay> FalseRecords { get; init; } = [];

    /// <summary>The slowest sightings after a natural end: the play before, the play, the latency.</summary>
    public IReadOnlyList<(TruePlay Previous, TruePlay Play, TimeSpan Latency)> SlowestAfterEnd { get; init; } = [];

    public int Captured => MusicFound + SkipFound + OtherFound + UnreachableFound;

    public static double Ratio(int found, int total) => total == 0 ? 1 : (double)found / total;
}

/// <summary>
/// Matches what a strategy recorded against the ground truth. A recorded play matches a true play of the same member
/// and item when its time lies inside the true play widened by <see cref="Tolerance"/> on each side (trackers stamp a
/// play with its start, Spotify with its end); among several, the unmatched one nearest in time wins. A recorded play
/// whose candidates are all taken already is a duplicate; one with no candidate is a false play; one matching a
/// private-session play is counted apart (no tracker may record it). Recall is per kind over the reachable plays only:
/// private plays, plays lost in a real gap and offline plays recently-played never lists are unreachable, counted apart.
/// </summary>
public static class Scorer
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(60);

    public static Score Score(IReadOnlyList<TruePlay> truth, IEnumerable<RecordedPlay> recorded, IEnumerable<Sighting>? sightings)
    {
        var byItem = truth
            .GroupBy(p => (p.Member, p.ItemUri))
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Start).ToList());
        var matched = new HashSet<TruePlay>(ReferenceEqualityComparer.Instance);
        int duplicates = 0, falsePlays = 0, privateRecorded = 0;
        var falseRecords = new List<RecordedPlay>();
        foreach (var play in recorded.OrderBy(p => p.At))
        {
            var candidates = byItem.TryGetValue((play.Member, play.ItemUri), out var list)
                ? list.Where(t => play.At >= t.Start - Tolerance && play.At <= t.End + Tolerance).ToList()
                : [];
            if (candidates.Count == 0)
            {
                falsePlays++;
                falseRecords.Add(play);
                continue;
            }

            var best = candidates.Where(c => !matched.Contains(c)).MinBy(c => Distance(c, play.At));
            if (best is null)
            {
                duplicates++;
                continue;
            }

            matched.Add(best);
            if (best.Kind == PlayKind.Private)
            {
                privateRecorded++;
            }
        }

        var reachable = truth.Where(p => !p.Unreachable).ToList();
        int Total(Func<TruePlay, bool> kind) => reachable.Count(kind);
        int Found(Func<TruePlay, bool> kind) => reachable.Count(p => kind(p) && matched.Contains(p));
        static bool Music(TruePlay p) => p.Kind == PlayKind.Music;
        static bool Skip(TruePlay p) => p.Kind == PlayKind.Skip;
        static bool Other(TruePlay p) => p.Kind is PlayKind.Episode or PlayKind.Local;
        var unreachable = truth.Where(p => p.Unreachable && p.Kind != PlayKind.Private).ToList();

        var (endLatencies, endUnseen, skipLatencies, skipUnseen, slowest) = sightings is null
            ? ([], 0, [], 0, [])
            : Latencies(truth, sightings);
        return new Score(
            Total(Music), Found(Music), Total(Skip), Found(Skip), Total(Other), Found(Other),
            duplicates, falsePlays, privateRecorded,
            unreachable.Count, unreachable.Count(matched.Contains),
            [.. reachable.Where(p => p.Kind != PlayKind.Private && !matched.Contains(p))],
            endLatencies, endUnseen, skipLatencies, skipUnseen)
        {
            FalseRecords = falseRecords,
            SlowestAfterEnd = slowest,
        };
    }

    /// <summary>
    /// Live latency: for each play that directly follows another of the same member (online, not private, another
    /// item), the time from its start (the previous play's end) to the strategy's first sighting of its item during
    /// it. Split by how the previous play ended: naturally (predictable from progress and duration) or by a skip or
    /// "next". A play never sighted while it played is counted as unseen, not as a latency.
    /// </summary>
    public static (List<TimeSpan> End, int EndUnseen, List<TimeSpan> Skip, int SkipUnseen, List<(TruePlay, TruePlay, TimeSpan)> Slowest) Latencies(IReadOnlyList<TruePlay> truth, IEnumerable<Sighting> sightings)
    {
        var slow = new List<(TruePlay Previous, TruePlay Play, TimeSpan Latency)>();
        var seen = sightings.GroupBy(s => (s.Member, s.ItemUri)).ToDictionary(g => g.Key, g => g.Select(s => s.At).Order().ToList());
        var end = new List<TimeSpan>();
        var skip = new List<TimeSpan>();
        int endUnseen = 0, skipUnseen = 0;
        foreach (var member in truth.GroupBy(p => p.Member))
        {
            TruePlay? previous = null;
            foreach (var play in member.OrderBy(p => p.Start))
            {
                if (previous is not null && Live(previous) && Live(play) && play.Start == previous.End && play.ItemUri != previous.ItemUri)
                {
                    var first = seen.TryGetValue((play.Member, play.ItemUri), out var times)
                        ? times.FirstOrDefault(t => t >= play.Start && t <= play.End)
                        : default;
                    var natural = previous.NaturalEnd;
                    if (first == default)
                    {
                        _ = natural ? endUnseen++ : skipUnseen++;
                    }
                    else
                    {
                        (natural ? end : skip).Add(first - play.Start);
                        if (natural)
                        {
                            slow.Add((previous, play, first - play.Start));
                        }
                    }
                }

                previous = play;
            }
        }

        return (end, endUnseen, skip, skipUnseen, [.. slow.OrderByDescending(s => s.Latency).Take(5)]);
    }

    /// <summary>The value at quantile <paramref name="q"/> (nearest rank); null when there is none.</summary>
    public static TimeSpan? Quantile(IReadOnlyList<TimeSpan> values, double q)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static bool Live(TruePlay play) => !play.Offline && play.Kind != PlayKind.Private;

    private static TimeSpan Distance(TruePlay play, DateTimeOffset at) =>
        at < play.Start ? play.Start - at : at > play.End ? at - play.End : TimeSpan.Zero;
}
