using System.Text.Json;

namespace OrleansSpotify.Import;

/// <summary>
/// The strings of one file read, shared: an export names the same tracks, artists, albums, platforms and reasons
/// thousands of times, and reading each occurrence into a string of its own makes a million rows allocate a few hundred
/// MB that the garbage collector then copies while the rows wait in a batch to be stored. A value met again while it is
/// still in the table (a fixed 4,096 entries, about a megabyte at most; a colliding value replaces the entry) is the
/// same string. Escaped and long values are read as they are; a value is only pooled once
/// <see cref="Utf8JsonReader.GetString"/> has read it, so invalid UTF-8 fails exactly as it would without the pool.
/// Not thread-safe: one pool per file read.
/// </summary>
public sealed class Utf8StringPool
{
    private const int Capacity = 4096;
    private const int MaxBytes = 128;

    private readonly (byte[] Bytes, string Value)[] _entries = new (byte[] Bytes, string Value)[Capacity];

    /// <summary>The string value the reader is on (a <see cref="JsonTokenType.String"/> token).</summary>
    public string Read(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxBytes)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        ref var entry = ref _entries[hash.ToHashCode() & (Capacity - 1)];
        if (entry.Bytes is { } known && bytes.SequenceEqual(known))
        {
            return entry.Value;
        }

        var value = reader.GetString()!;
        entry = (bytes.ToArray(), value);
        return value;
    }
}
