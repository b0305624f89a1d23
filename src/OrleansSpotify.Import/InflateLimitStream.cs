namespace OrleansSpotify.Import;

/// <summary>
/// Counts the bytes actually inflated from a zip entry and fails the read that goes past
/// <see cref="ImportLimits.MaxEntryBytes"/> or past <see cref="ImportLimits.MaxCompressionRatio"/> times the entry's
/// compressed size: what the entry's header claims is never trusted.
/// </summary>
internal sealed class InflateLimitStream(Stream inner, string name, long compressedLength, ImportLimits limits) : Stream
{
    private readonly long _ratioLimit = compressedLength > long.MaxValue / Math.Max(1, limits.MaxCompressionRatio)
        ? long.MaxValue
        : Math.Max(1, compressedLength) * limits.MaxCompressionRatio;

    private long _inflated;

    public long Inflated => _inflated;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _inflated;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Count(inner.Read(buffer));
        }
        catch (InvalidDataException exception)
        {
            throw Corrupt(exception);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken));
        }
        catch (InvalidDataException exception)
        {
            throw Corrupt(exception);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private ImportFormatException Corrupt(InvalidDataException exception) =>
        new(name, null, "is corrupt: it cannot be inflated (" + exception.Message.TrimEnd('.') + ")", exception);

    private int Count(int read)
    {
        _inflated += read;
        if (_inflated > limits.MaxEntryBytes)
        {
            throw new ImportFormatException(name, null, $"inflates to more than {limits.MaxEntryBytes:N0} bytes (the limit of an entry)");
        }

        if (_inflated > limits.RatioCheckFloorBytes && _inflated > _ratioLimit)
        {
            throw new ImportFormatException(name, null,
                $"inflates to more than {limits.MaxCompressionRatio}:1 of its {compressedLength:N0} compressed bytes (a zip bomb?)");
        }

        return read;
    }
}
