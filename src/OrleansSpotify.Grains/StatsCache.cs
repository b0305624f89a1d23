using System.Text.Json;

namespace OrleansSpotify.Grains;

/// <summary>
/// Answers cached per question inside a stats grain. Only new plays clear it (never a timer); it holds at most
/// <c>budgetBytes</c> of answers, measured as their JSON size (what they cost to keep is about that), and drops the
/// least recently used first. An answer larger than the whole budget is answered but not kept.
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

    public T GetOrAdd<T>(object key, Func<T> compute)
        where T : notnull
    {
        if (TryGet<T>(key, out var cached))
        {
            return cached;
        }

        var answer = compute();
        var bytes = SizeOf(answer) + EntryOverheadBytes;
        if (bytes > budgetBytes)
        {
            return answer;
        }

        while (Bytes + bytes > budgetBytes && _recent.Last is { } oldest)
        {
            _recent.RemoveLast();
            _index.Remove(oldest.Value.Key);
            Bytes -= oldest.Value.Bytes;
        }

        _index[key] = _recent.AddFirst(new Entry(key, answer, bytes));
        Bytes += bytes;
        return answer;
    }

    public void Clear()
    {
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
