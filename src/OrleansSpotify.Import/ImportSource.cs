using System.IO.Compression;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import;

/// <summary>
/// The files of one import, recognised and ready to read: loose files (by name, then by content when the name says
/// nothing) and the entries of zips (history files recognised by name in any folder; every other entry listed in
/// <see cref="Skipped"/> with the reason). A zip with too many entries or an entry whose path leaves the archive is
/// refused as a whole; an entry that inflates past the limits fails when it is read (<see cref="ImportFile.Open"/>).
/// Keeps the zips (and spooled uploads) open until disposed.
/// </summary>
public sealed class ImportSource : IAsyncDisposable
{
    private readonly ImportLimits _limits;
    private readonly List<IDisposable> _owned = [];
    private readonly List<ImportFile> _files = [];
    private readonly List<SkippedEntry> _skipped = [];
    private long _uploadBytes;

    private ImportSource(ImportLimits limits) => _limits = limits;

    public IReadOnlyList<ImportFile> Files => _files;

    public IReadOnlyList<SkippedEntry> Skipped => _skipped;

    /// <summary>Files on disk (the CLI). Names in errors are the files' names without their folders.</summary>
    /// <exception cref="ImportFormatException">A file is missing, unreadable, of no known format, or an unsafe zip.</exception>
    public static async Task<ImportSource> OpenPathsAsync(IEnumerable<string> paths, ImportLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(limits);
        var source = new ImportSource(limits);
        try
        {
            foreach (var path in paths)
            {
                await source.AddPathAsync(path, cancellationToken);
            }

            return source;
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Uploaded files (the API): a name (the client's file name) and its content. Seekable streams are read in place and
    /// stay the caller's; others are first copied to a temporary file (deleted on dispose). All of them together may be
    /// at most <see cref="ImportLimits.MaxUploadBytes"/>.
    /// </summary>
    public static async Task<ImportSource> OpenUploadsAsync(IEnumerable<(string Name, Stream Content)> uploads, ImportLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        ArgumentNullException.ThrowIfNull(limits);
        var source = new ImportSource(limits);
        try
        {
            foreach (var (name, content) in uploads)
            {
                await source.AddUploadAsync(ImportFileNames.LastSegment(name), content, cancellationToken);
            }

            return source;
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            if (_owned[i] is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                _owned[i].Dispose();
            }
        }

        _owned.Clear();
    }

    private async Task AddPathAsync(string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous,
            });
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ImportFormatException(name, null, "cannot be read: " + exception.Message, exception);
        }

        _owned.Add(stream);
        if (await IsZipAsync(name, stream, cancellationToken))
        {
            AddZip(name, stream);
            return;
        }

        var format = ImportFileNames.Recognise(name) ?? await ImportFormatSniffer.SniffAsync(stream, name, cancellationToken);
        _owned.Remove(stream);
        await stream.DisposeAsync();
        _files.Add(new ImportFile(name, format, new FileInfo(path).Length)
        {
            Opener = () => new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            }),
        });
    }

    private async Task AddUploadAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var stream = content;
        if (content.CanSeek)
        {
            CountUpload(name, content.Length - content.Position);
        }
        else
        {
            stream = await SpoolAsync(name, content, cancellationToken);
        }

        var start = stream.Position;
        if (await IsZipAsync(name, stream, cancellationToken))
        {
            AddZip(name, stream.Position == 0 ? stream : new BorrowedStream(stream, start, ownsInner: false));
            return;
        }

        var format = ImportFileNames.Recognise(name) ?? await ImportFormatSniffer.SniffAsync(stream, name, cancellationToken);
        stream.Position = start;
        _files.Add(new ImportFile(name, format, stream.Length - start)
        {
            Opener = () => new BorrowedStream(stream, start, ownsInner: false),
        });
    }

    private async Task<Stream> SpoolAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        var spool = new FileStream(Path.Combine(Path.GetTempPath(), "orleans-spotify-import-" + Guid.NewGuid().ToString("N")), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
        });
        _owned.Add(spool);
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            CountUpload(name, read);
            await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        spool.Position = 0;
        return spool;
    }

    private void CountUpload(string name, long bytes)
    {
        _uploadBytes += bytes;
        if (_uploadBytes > _limits.MaxUploadBytes)
        {
            throw new ImportFormatException(name, null, $"the upload is larger than {_limits.MaxUploadBytes:N0} bytes (the limit)");
        }
    }

    /// <summary>By name, or by the local-file-header signature <c>PK\x03\x04</c> (an empty zip starts <c>PK\x05\x06</c>).</summary>
    private static async Task<bool> IsZipAsync(string name, Stream stream, CancellationToken cancellationToken)
    {
        if (ImportFileNames.IsZip(name))
        {
            return true;
        }

        var start = stream.Position;
        var magic = new byte[4];
        var length = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        stream.Position = start;
        return length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] is 3 or 5 && magic[3] == magic[2] + 1;
    }

    private void AddZip(string name, Stream stream)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException exception)
        {
            throw new ImportFormatException(name, null, "not a readable zip archive (" + exception.Message.TrimEnd('.') + ")", exception);
        }

        _owned.Add(archive);
        IReadOnlyList<ZipArchiveEntry> entries;
        try
        {
            entries = archive.Entries;
        }
        catch (InvalidDataException exception)
        {
            throw new ImportFormatException(name, null, "not a readable zip archive (" + exception.Message.TrimEnd('.') + ")", exception);
        }

        if (entries.Count > _limits.MaxEntries)
        {
            throw new ImportFormatException(name, null, $"holds {entries.Count:N0} entries; at most {_limits.MaxEntries:N0} are accepted");
        }

        foreach (var entry in entries)
        {
            if (!ZipEntryPaths.IsSafe(entry.FullName))
            {
                throw new ImportFormatException(name, null, $"entry '{entry.FullName}' has a path that leaves the archive; the zip is refused");
            }
        }

        foreach (var entry in entries)
        {
            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
            {
                continue;
            }

            var entryName = name + "/" + entry.FullName;
            if (ImportFileNames.Recognise(entry.FullName) is not { } format)
            {
                _skipped.Add(new SkippedEntry(entryName, SkipReason(entry.FullName)));
                continue;
            }

            if (entry.Length > _limits.MaxEntryBytes)
            {
                throw new ImportFormatException(entryName, null, $"is {entry.Length:N0} bytes uncompressed; an entry may be at most {_limits.MaxEntryBytes:N0}");
            }

            var compressed = Math.Min(entry.CompressedLength, stream.Length);
            _files.Add(new ImportFile(entryName, format, entry.Length)
            {
                Opener = () => new InflateLimitStream(OpenEntry(entry, entryName), entryName, compressed, _limits),
            });
        }
    }

    private static Stream OpenEntry(ZipArchiveEntry entry, string entryName)
    {
        try
        {
            return entry.Open();
        }
        catch (InvalidDataException exception)
        {
            throw new ImportFormatException(entryName, null, "cannot be inflated (" + exception.Message.TrimEnd('.') + ")", exception);
        }
    }

    private static string SkipReason(string path) =>
        ImportFileNames.IsZip(path) ? "a zip inside the zip is not opened"
        : ImportFileNames.IsJson(path) ? "not a streaming history file"
        : "not a streaming history file (not JSON)";
}
