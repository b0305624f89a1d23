using System.Buffers.Binary;

namespace OrleansSpotify.Storage;

/// <summary>
/// The packed form of an account's plays in <c>play_log_chunks</c>: fixed 16-byte records (played_at int64 Unix ms,
/// track_id int32, ms int32; ms &gt;= 0 is reported by the source, ms &lt; 0 is -(estimate + 1)).
/// </summary>
public static class PlayLogFormat
{
    public const int RecordSize = 16;

    /// <summary>Records per chunk: small enough that rewriting the open chunk on every commit stays cheap (16 KB).</summary>
    public const int ChunkCapacity = 1024;

    /// <summary>
    /// A play whose source reported less than this much listening is a skip: stats count plays of at least 30 s and
    /// report skips on their own. A play whose time is only estimated (recently-played) is never a skip.
    /// </summary>
    public const int SkipBelowMs = 30_000;

    public static int EncodeMs(long? msPlayed, long durationMs) =>
        msPlayed is { } reported ? (int)Math.Clamp(reported, 0, int.MaxValue) : -(int)Math.Clamp(durationMs, 0, int.MaxValue - 1) - 1;

    public static void Write(Span<byte> destination, long playedAt, int trackId, int encodedMs)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, playedAt);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], trackId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], encodedMs);
    }
}

/// <summary>
/// One account's (or several accounts') plays as columns, sorted by <see cref="PlayedAt"/>: what the stats are
/// computed from. <see cref="Ms"/> is the listening time (reported or estimated, see <see cref="MsReported"/>).
/// Skips (reported under <see cref="PlayLogFormat.SkipBelowMs"/>) are not plays: only their times are kept, in
/// <see cref="SkippedAt"/>.
/// </summary>
public sealed class PlayLog
{
    private int? _maxTrackId;

    public PlayLog(long[] playedAt, int[] trackIds, int[] ms, bool[] msReported, long[]? skippedAt = null)
    {
        PlayedAt = playedAt;
        TrackIds = trackIds;
        Ms = ms;
        MsReported = msReported;
        SkippedAt = skippedAt ?? [];
    }

    public static PlayLog Empty { get; } = new([], [], [], []);

    /// <summary>The end times of the skips, sorted.</summary>
    public long[] SkippedAt { get; }

    /// <summary>How many skips ended in [from, to) (Unix ms).</summary>
    public int SkipsBetween(long from, long to)
    {
        var start = Bound(SkippedAt, from);
        return Math.Max(0, Bound(SkippedAt, to) - start);
    }

    public long[] PlayedAt { get; }

    public int[] TrackIds { get; }

    public int[] Ms { get; }

    public bool[] MsReported { get; }

    public int Count => PlayedAt.Length;

    /// <summary>The largest track id in the log (0 when empty), computed once: the catalogue must know it.</summary>
    public int MaxTrackId => _maxTrackId ??= TrackIds.Length == 0 ? 0 : TrackIds.Max();

    /// <summary>Decodes packed chunks, sets skips apart and sorts by time (backfilled and imported plays arrive out of order).</summary>
    public static PlayLog FromChunks(IReadOnlyList<(byte[] Data, int Count)> chunks)
    {
        var total = chunks.Sum(c => c.Count);
        var playedAt = new long[total];
        var tracks = new int[total];
        var ms = new int[total];
        var reported = new bool[total];
        var skips = new List<long>();
        var i = 0;
        var sorted = true;
        foreach (var (data, count) in chunks)
        {
            var span = data.AsSpan();
            for (var r = 0; r < count; r++)
            {
                var record = span.Slice(r * PlayLogFormat.RecordSize, PlayLogFormat.RecordSize);
                var at = BinaryPrimitives.ReadInt64LittleEndian(record);
                var encoded = BinaryPrimitives.ReadInt32LittleEndian(record[12..]);
                if (encoded is >= 0 and < PlayLogFormat.SkipBelowMs)
                {
                    skips.Add(at);
                    continue;
                }

                playedAt[i] = at;
                tracks[i] = BinaryPrimitives.ReadInt32LittleEndian(record[8..]);
                reported[i] = encoded >= 0;
                ms[i] = encoded >= 0 ? encoded : -(encoded + 1);
                sorted &= i == 0 || playedAt[i - 1] <= playedAt[i];
                i++;
            }
        }

        var skippedAt = skips.ToArray();
        Array.Sort(skippedAt);
        var log = i == total
            ? new PlayLog(playedAt, tracks, ms, reported, skippedAt)
            : new PlayLog(playedAt[..i], tracks[..i], ms[..i], reported[..i], skippedAt);
        return sorted ? log : log.Sorted();
    }

    /// <summary>Merges several logs (e.g. the household's members) into one, sorted by time.</summary>
    public static PlayLog Merge(IReadOnlyList<PlayLog> logs)
    {
        if (logs.Count == 1)
        {
            return logs[0];
        }

        // Each log is sorted already: a k-way merge keeps it O(n log k) instead of sorting everything again.
        var total = logs.Sum(l => l.Count);
        var playedAt = new long[total];
        var tracks = new int[total];
        var ms = new int[total];
        var reported = new bool[total];
        var heads = new PriorityQueue<int, long>(logs.Count);
        var positions = new int[logs.Count];
        for (var l = 0; l < logs.Count; l++)
        {
            if (logs[l].Count > 0)
            {
                heads.Enqueue(l, logs[l].PlayedAt[0]);
            }
        }

        for (var i = 0; heads.TryDequeue(out var l, out _); i++)
        {
            var source = logs[l];
            var p = positions[l]++;
            playedAt[i] = source.PlayedAt[p];
            tracks[i] = source.TrackIds[p];
            ms[i] = source.Ms[p];
            reported[i] = source.MsReported[p];
            if (p + 1 < source.Count)
            {
                heads.Enqueue(l, source.PlayedAt[p + 1]);
            }
        }

        var skippedAt = logs.SelectMany(l => l.SkippedAt).ToArray();
        Array.Sort(skippedAt);
        return new PlayLog(playedAt, tracks, ms, reported, skippedAt);
    }

    /// <summary>The index of the first play at or after <paramref name="unixMs"/>.</summary>
    public int LowerBound(long unixMs)
    {
        var index = Array.BinarySearch(PlayedAt, unixMs);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && PlayedAt[index - 1] == unixMs)
        {
            index--;
        }

        return index;
    }

    private PlayLog Sorted()
    {
        var order = Enumerable.Range(0, Count).ToArray();
        var keys = (long[])PlayedAt.Clone();
        Array.Sort(keys, order);
        return new PlayLog(keys, [.. order.Select(i => TrackIds[i])], [.. order.Select(i => Ms[i])], [.. order.Select(i => MsReported[i])], SkippedAt);
    }

    /// <summary>The index of the first value at or after <paramref name="value"/> in a sorted array.</summary>
    private static int Bound(long[] sorted, long value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
