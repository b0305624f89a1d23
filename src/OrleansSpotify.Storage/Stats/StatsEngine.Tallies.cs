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

        /// <summary>The best <paramref name="limit"/> keys with plays, best first (ties: the other measure, then id).</summary>
        public int[] Ranked(TopOrder by, int limit)
        {
            Comparison<int> order = by == TopOrder.Time ? ByTime : ByPlays;
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

            var ranked = limit == int.MaxValue ? [.. all] : best.UnorderedItems.Select(x => x.Element).ToArray();
            Array.Sort(ranked, order);
            return ranked;
        }

        private int ByPlays(int a, int b)
        {
            var c = Plays[b].CompareTo(Plays[a]);
            c = c != 0 ? c : Total(b).CompareTo(Total(a));
            return c != 0 ? c : a.CompareTo(b);
        }

        private int ByTime(int a, int b)
        {
            var c = Total(b).CompareTo(Total(a));
            c = c != 0 ? c : Plays[b].CompareTo(Plays[a]);
            return c != 0 ? c : a.CompareTo(b);
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
