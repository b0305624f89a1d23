using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import;

/// <summary>
/// Reads a file that is one JSON array of objects, record by record, with <see cref="Utf8JsonReader"/> over a buffer
/// refilled from the stream: memory is the buffer (64 KiB, grown for a record up to
/// <see cref="ImportLimits.MaxRecordBytes"/>) plus the rows of one buffer, whatever the file's size. Only whole
/// records are handed to <see cref="TryReadRecord"/>'s result; a record cut by the buffer's end is read again from its
/// start with more data.
/// </summary>
public abstract class JsonArrayReader(IOptions<ImportLimits> limits) : IImportFormatReader
{
    private const int InitialBufferBytes = 64 * 1024;
    private const int MinimumReadBytes = 16 * 1024;

    private readonly ImportLimits _limits = limits.Value;

    private enum Phase
    {
        BeforeArray,
        InArray,
        Done,
    }

    public abstract ImportFormat Format { get; }

    public async IAsyncEnumerable<ImportedPlay> ReadAsync(Stream stream, string fileName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var rows = new List<ImportedPlay>(256);
        var cursor = new Cursor();
        int start = 0, end = 0;
        var atStart = true;
        try
        {
            while (true)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    buffer = Grow(buffer, end, fileName, cursor.Record);
                }

                // At least a few KiB per parse (or the rest of the file): a record cut by a short read is parsed again
                // from its start, so trickling streams (a request body) must not cost a parse per packet.
                var free = buffer.Length - end;
                var read = await stream.ReadAtLeastAsync(buffer.AsMemory(end), Math.Min(MinimumReadBytes, free), throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                {
                    Finish(buffer.AsSpan(start, end - start), cursor, fileName);
                    yield break;
                }

                end += read;
                if (atStart)
                {
                    if (end < 3 && buffer.AsSpan(0, end).SequenceEqual("\uFEFF"u8[..end]))
                    {
                        continue;
                    }

                    atStart = false;
                    if (buffer.AsSpan(0, end).StartsWith("\uFEFF"u8))
                    {
                        start = 3;
                    }
                }

                start += Parse(buffer.AsSpan(start, end - start), cursor, rows, fileName);
                foreach (var row in rows)
                {
                    yield return row;
                }

                rows.Clear();
                if (cursor.Error is { } error)
                {
                    // The rows before the bad record were yielded; the read ends at it, naming it.
                    ExceptionDispatchInfo.Throw(error);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads the object whose <see cref="JsonTokenType.StartObject"/> <paramref name="reader"/> is on. Returns false when
    /// the buffer ends inside it (the caller rewinds and retries with more data); throws
    /// <see cref="ImportFormatException"/> for a record that is complete but wrong.
    /// </summary>
    /// <paramref name="strings"/>: the file's string pool, for values that repeat (names, URIs, platforms; see
    /// <see cref="ReadString"/>).
    protected abstract bool TryReadRecord(ref Utf8JsonReader reader, long record, string fileName, Utf8StringPool strings, [NotNullWhen(true)] out ImportedPlay? play);

    /// <summary>The message for a top-level value that is not an array (e.g. another format's file).</summary>
    protected virtual string NotAnArray => "not a JSON array of streams";

    /// <summary>
    /// Reads a string or null value; any other token is an error naming the field. With <paramref name="pool"/>, a value
    /// the file repeats is one shared string (for names and URIs that recur; not for values nearly always new).
    /// </summary>
    protected static string? ReadString(ref Utf8JsonReader reader, string field, long record, string fileName, Utf8StringPool? pool = null) => reader.TokenType switch
    {
        JsonTokenType.String => pool is null ? reader.GetString() : pool.Read(ref reader),
        JsonTokenType.Null => null,
        _ => throw new ImportFormatException(fileName, record, $"{field} is not a string"),
    };

    protected static bool? ReadBoolean(ref Utf8JsonReader reader, string field, long record, string fileName) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw new ImportFormatException(fileName, record, $"{field} is not true, false or null"),
    };

    protected static long ReadMilliseconds(ref Utf8JsonReader reader, string field, long record, string fileName)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new ImportFormatException(fileName, record, $"{field} is not a whole number of milliseconds");
        }

        return value >= 0 ? value : throw new ImportFormatException(fileName, record, $"{field} is negative");
    }

    /// <summary>Skips an unknown property's value; false when the buffer ends inside it.</summary>
    protected static bool TrySkipValue(ref Utf8JsonReader reader) =>
        reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.TrySkip();

    private int Parse(ReadOnlySpan<byte> data, Cursor cursor, List<ImportedPlay> rows, string fileName)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock: false, cursor.State);
        var checkpoint = reader;
        try
        {
            return ParseRecords(data, cursor, rows, fileName, ref reader, ref checkpoint);
        }
        catch (ImportFormatException exception)
        {
            cursor.Error = exception;
            return data.Length;
        }
    }

    private int ParseRecords(ReadOnlySpan<byte> data, Cursor cursor, List<ImportedPlay> rows, string fileName, ref Utf8JsonReader reader, ref Utf8JsonReader checkpoint)
    {
        try
        {
            if (cursor.Phase == Phase.BeforeArray)
            {
                if (!reader.Read())
                {
                    return 0;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new ImportFormatException(fileName, null, NotAnArray);
                }

                cursor.Phase = Phase.InArray;
                checkpoint = reader;
            }

            while (cursor.Phase == Phase.InArray)
            {
                if (!reader.Read())
                {
                    break;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    cursor.Phase = Phase.Done;
                    checkpoint = reader;
                    break;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new ImportFormatException(fileName, cursor.Record, "is not a JSON object");
                }

                if (!TryReadRecord(ref reader, cursor.Record, fileName, cursor.Strings, out var play))
                {
                    break;
                }

                rows.Add(play);
                cursor.Record++;
                checkpoint = reader;
            }
        }
        catch (JsonException exception)
        {
            throw new ImportFormatException(fileName, cursor.Phase == Phase.InArray ? cursor.Record : null,
                "malformed JSON (" + Utf8.FirstSentence(exception.Message) + ")", exception);
        }

        if (cursor.Phase == Phase.Done)
        {
            var rest = data[(int)checkpoint.BytesConsumed..];
            if (rest.TrimStart(" \t\r\n"u8).Length > 0)
            {
                throw new ImportFormatException(fileName, null, "has data after the end of its array");
            }

            return data.Length;
        }

        // Whitespace after the last whole token is consumed too: a file padded with it never grows the buffer.
        cursor.State = checkpoint.CurrentState;
        var consumed = (int)checkpoint.BytesConsumed;
        return consumed + (data.Length - consumed - data[consumed..].TrimStart(" \t\r\n"u8).Length);
    }

    private static void Finish(ReadOnlySpan<byte> rest, Cursor cursor, string fileName)
    {
        // A comma after the last whole record is not a record begun.
        var pending = rest.TrimStart(" \t\r\n"u8).TrimStart(","u8).TrimStart(" \t\r\n"u8).Length > 0;
        switch (cursor.Phase)
        {
            case Phase.Done:
                return;
            case Phase.BeforeArray:
                throw new ImportFormatException(fileName, null, pending ? "is truncated or not JSON" : "is empty");
            default:
                throw new ImportFormatException(fileName, pending ? cursor.Record : null,
                    pending ? "the file ends inside this record (truncated)" : $"the file ends after {cursor.Record:N0} records without closing its array (truncated)");
        }
    }

    private byte[] Grow(byte[] buffer, int used, string fileName, long record)
    {
        if (buffer.Length >= _limits.MaxRecordBytes)
        {
            throw new ImportFormatException(fileName, record, $"is longer than {_limits.MaxRecordBytes:N0} bytes (the limit of a record)");
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, Math.Max(_limits.MaxRecordBytes, buffer.Length + 1)));
        Buffer.BlockCopy(buffer, 0, bigger, 0, used);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private sealed class Cursor
    {
        public JsonReaderState State { get; set; }

        public Phase Phase { get; set; }

        public long Record { get; set; }

        /// <summary>The strings of this file read (see <see cref="Utf8StringPool"/>).</summary>
        public Utf8StringPool Strings { get; } = new();

        /// <summary>The bad record met after the rows of this buffer: thrown once they are yielded.</summary>
        public ImportFormatException? Error { get; set; }
    }
}
