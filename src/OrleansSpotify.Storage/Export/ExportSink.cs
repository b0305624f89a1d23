namespace OrleansSpotify.Storage.Export;

/// <summary>
/// What an export writer writes into: a write-only stream that keeps what it is given in memory (no I/O, so the
/// synchronous writers — <see cref="System.IO.Compression.ZipArchive"/>, <see cref="System.Text.Json.Utf8JsonWriter"/>
/// — never block on the network) until <see cref="DrainAsync"/> sends it on. A writer drains after each play once
/// <see cref="FlushThreshold"/> bytes wait, so what is held is about that much whatever the export's size.
/// </summary>
public sealed class ExportSink(Stream output) : Stream
{
    /// <summary>Bytes held before a writer sends them on.</summary>
    public const int FlushThreshold = 64 * 1024;

    private byte[] _buffer = new byte[FlushThreshold * 2];
    private int _count;
    private long _written;

    /// <summary>Bytes held and not yet sent.</summary>
    public int Pending => _count;

    /// <summary>The largest number of bytes held at once (a figure for the constant-memory claim).</summary>
    public int MaxPending { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    /// <summary>Sends what is held once it reaches <see cref="FlushThreshold"/>.</summary>
    public ValueTask DrainIfFullAsync(CancellationToken cancellationToken) =>
        _count >= FlushThreshold ? DrainAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Sends everything held to the output and flushes it.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_count > 0)
        {
            await output.WriteAsync(_buffer.AsMemory(0, _count), cancellationToken);
            _count = 0;
        }

        await output.FlushAsync(cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_count + buffer.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + buffer.Length));
        }

        buffer.CopyTo(_buffer.AsSpan(_count));
        _count += buffer.Length;
        _written += buffer.Length;
        MaxPending = Math.Max(MaxPending, _count);
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Nothing to do: bytes leave only through <see cref="DrainAsync"/>.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
