using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// The counters the walks fill.
public sealed partial class StatsEngine
{
    /// <summary>A set of small positive ids (tracks, artists, albums are dense) as a growable bitmap; 0 is ignored.</summary>
    private sealed class DistinctIds
    {
        private bool[] _seen = new bool[1024];

        public int Count { get; private set; }

        public void Add(int id)
        {
            if (id <= 0)
            {
                return;
            }

            if (id >= _seen.Length)
            {
                Array.Resize(ref _seen, Math.Max(id + 1, _seen.Length * 2));
            }

            if (!_seen[id])
            {
                _seen[id] = true;
                Count++;
            }
        }
    }

    /// <summary>Plays and listening time per dense id (track, artist or album), in arrays.</summary>
    private sealed class Tallies(int size)
    {
        public long[] Plays { get; } = new long[size];

        private long[] Reported { get; } = new long[size];

        private long[] Estimated { get; } = new long[size];

        public void Add(int key, long ms, bool reported)
        {
            Plays[key]++;
            if (reported)
            {
                Reported[key] += ms;
            }
            else
            {
                Estimated[key] += ms;
            }
        }

        public ListeningTime Time(int key) => new(Reported[key] + Estimated[key], Reported[key], Estimated[key]);

        /// <summary>
        /// The best <paramref name="limit"/> keys with plays, best first. Ties on both measures are broken by a key
        /// that travels with the data (<see cref="CatalogCache.SortKeys"/>: name, then Spotify URI or id), never by
        /// the row id a database happened to give, so an export imported elsewhere ranks the same; only the keys that
        /// tie (including those tied with the last one kept) have their sort key loaded.
        /// </summary>
        public int[] Ranked(TopOrder by, int limit, Func<IReadOnlyCollection<int>, IReadOnlyDictionary<int, CatalogSortKey>> sortKeys)
        {
            Comparison<int> measure = by == TopOrder.Time ? ByTime : ByPlays;
            Comparison<int> order = (a, b) =>
            {
                var c = measure(a, b);
                return c != 0 ? c : a.CompareTo(b);
            };
            var worstFirst = Comparer<int>.Create((a, b) => order(b, a));
            var best = new PriorityQueue<int, int>(Math.Min(limit, 1024), worstFirst);
            var all = new List<int>();
            for (var key = 1; key < Plays.Length; key++)
            {
                if (Plays[key] == 0)
                {
                    continue;
                }

                if (limit == int.MaxValue)
                {
                    all.Add(key);
                }
                else if (best.Count < limit)
                {
                    best.Enqueue(key, key);
                }
                else if (order(key, best.Peek()) < 0)
                {
                    best.DequeueEnqueue(key, key);
                }
            }

            var candidates = limit == int.MaxValue ? all : [.. best.UnorderedItems.Select(x => x.Element)];
            if (limit != int.MaxValue && best.Count == limit && limit > 0)
            {
                // Keys tied with the last one kept may belong in the list once ties go by sort key.
                var last = best.Peek();
                var kept = candidates.ToHashSet();
                for (var key = 1; key < Plays.Length; key++)
                {
                    if (Plays[key] > 0 && !kept.Contains(key) && measure(key, last) == 0)
                    {
                        candidates.Add(key);
                    }
                }
            }

            var ranked = candidates.ToArray();
            Array.Sort(ranked, order);
            var tied = new HashSet<int>();
            for (var i = 1; i < ranked.Length; i++)
            {
                if (measure(ranked[i - 1], ranked[i]) == 0)
                {
                    tied.Add(ranked[i - 1]);
                    tied.Add(ranked[i]);
                }
            }

            if (tied.Count > 0)
            {
                var keys = sortKeys(tied);
                Array.Sort(ranked, (a, b) =>
                {
                    var c = measure(a, b);
                    c = c != 0 ? c : CatalogSortKey.Compare(keys.GetValueOrDefault(a), keys.GetValueOrDefault(b));
                    return c != 0 ? c : a.CompareTo(b);
                });
            }

            return ranked.Length > limit ? ranked[..limit] : ranked;
        }

        private int ByPlays(int a, int b)
        {
            var c = Plays[b].CompareTo(Plays[a]);
            return c != 0 ? c : Total(b).CompareTo(Total(a));
        }

        private int ByTime(int a, int b)
        {
            var c = Total(b).CompareTo(Total(a));
            return c != 0 ? c : Plays[b].CompareTo(Plays[a]);
        }

        private long Total(int key) => Reported[key] + Estimated[key];
    }

    private sealed class Tally
    {
        public long Plays { get; private set; }

        public long ReportedMs { get; private set; }

        public long EstimatedMs { get; private set; }

        public long TotalMs => ReportedMs + EstimatedMs;

        public void Add(long ms, bool reported)
        {
            Plays++;
            if (reported)
            {
                ReportedMs += ms;
            }
            else
            {
                EstimatedMs += ms;
            }
        }

        public ListeningTime Time() => new(TotalMs, ReportedMs, EstimatedMs);
    }
}
