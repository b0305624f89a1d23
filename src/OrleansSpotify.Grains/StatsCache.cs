using System.Text.Json;

namespace OrleansSpotify.Grains;

/// <summary>
/// Answers cached per question inside a stats grain. Only new plays clear it (never a timer); it holds at most
/// <c>budgetBytes</c> of answers, measured as their JSON size (what they cost to keep is about that), and drops the
/// least recently used first. An answer larger than the whole budget is answered but not kept.
/// <para>
/// Every <see cref="Clear"/> starts a new <see cref="Generation"/>. An answer computed while the grain's turn yields is
/// added with the generation read before it started (<see cref="Add"/>): if new plays cleared the cache meanwhile, the
/// answer is stale and is not kept.
/// </para>
/// </summary>
internal sealed class StatsCache(long budgetBytes)
{
    /// <summary>What an entry costs besides its answer: the key, the index and list nodes.</summary>
    internal const int EntryOverheadBytes = 256;

    private readonly Dictionary<object, LinkedListNode<Entry>> _index = [];
    private readonly LinkedList<Entry> _recent = new();

    public int Count => _index.Count;

    /// <summary>The estimated bytes of every answer kept.</summary>
    public long Bytes { get; private set; }

    public bool TryGet<T>(object key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T answer)
        where T : notnull
    {
        if (_index.TryGetValue(key, out var node))
        {
            _recent.Remove(node);
            _recent.AddFirst(node);
            answer = (T)node.Value.Answer;
            return true;
        }

        answer = default;
        return false;
    }

    /// <summary>Bumped by every <see cref="Clear"/>: answers computed from what was there before are stale.</summary>
    public long Generation { get; private set; }

    public T GetOrAdd<T>(object key, Func<T> compute)
        where T : notnull
    {
        if (TryGet<T>(key, out var cached))
        {
            return cached;
        }

        var answer = compute();
        Add(key, answer, Generation);
        return answer;
    }

    /// <summary>
    /// Keeps <paramref name="answer"/> of a read that began at <paramref name="generation"/>; returns false
    /// (and keeps nothing) when the cache was cleared since, or when the answer is larger than the whole budget.
    /// </summary>
    public bool Add(object key, object answer, long generation)
    {
        if (generation != Generation)
        {
            return false;
        }

        var bytes = SizeOf(answer) + EntryOverheadBytes;
        if (bytes > budgetBytes)
        {
            return false;
        }

        if (_index.Remove(key, out var existing))
        {
            _recent.Remove(existing);
            Bytes -= existing.Value.Bytes;
        }

        while (Bytes + bytes > budgetBytes && _recent.Last is { } oldest)
        {
            _recent.RemoveLast();
            _index.Remove(oldest.Value.Key);
            Bytes -= oldest.Value.Bytes;
        }

        _index[key] = _recent.AddFirst(new Entry(key, answer, bytes));
        Bytes += bytes;
        return true;
    }

    public void Clear()
    {
        Generation++;
        _index.Clear();
        _recent.Clear();
        Bytes = 0;
    }

    /// <summary>The answer's JSON size, counted without keeping the JSON.</summary>
    internal static long SizeOf(object answer)
    {
        using var counter = new CountingStream();
        JsonSerializer.Serialize(counter, answer, answer.GetType(), JsonSerializerOptions.Web);
        return counter.Length;
    }

    private sealed record Entry(object Key, object Answer, long Bytes);

    /// <summary>A write-only stream that only counts.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
