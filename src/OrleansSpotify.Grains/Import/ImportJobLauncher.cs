using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Import;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Import;

namespace OrleansSpotify.Grains.Import;

/// <summary>
/// Accepts an import (the API's upload, the CLI's files): keeps the files in the job's private folder, reads every row
/// of every file once (a bad file refuses the whole import: nothing is recorded and the folder is removed), records
/// the job queued with each file's row count, and starts its <see cref="IImportJobGrain"/>.
/// </summary>
public sealed partial class ImportJobLauncher(
    ImportJobStore jobs,
    AccountStore accounts,
    ImportReaders readers,
    IOptions<ImportLimits> limits,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<ImportJobLauncher> logger)
{
    /// <summary>The longest file name kept (in UTF-8 bytes; file systems allow 255).</summary>
    private const int MaxNameBytes = 200;

    /// <summary>
    /// Uploaded files: a name (the client's; its last segment is kept) and the content, read once to its end.
    /// </summary>
    /// <exception cref="UnknownAccountException">No household account has this key.</exception>
    /// <exception cref="ImportFormatException">A file cannot be imported (unknown format, malformed, unsafe zip, too large); nothing is recorded.</exception>
    public async Task<ImportJobStatus> CreateAsync(string accountKey, IReadOnlyList<(string Name, Stream Content)> uploads, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        return await CreateCoreAsync(accountKey, uploads.Select(u => (u.Name, (Func<Stream>)(() => u.Content), Owned: false)).ToList(), ct);
    }

    /// <summary>Files on disk (the CLI); they are copied into the job's folder, so the originals may go afterwards.</summary>
    /// <exception cref="UnknownAccountException">No household account has this key.</exception>
    /// <exception cref="ImportFormatException">A file is missing or cannot be imported; nothing is recorded.</exception>
    public async Task<ImportJobStatus> CreateFromPathsAsync(string accountKey, IReadOnlyList<string> paths, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return await CreateCoreAsync(accountKey, paths.Select(path => (Path.GetFileName(path), (Func<Stream>)(() => OpenPath(path)), Owned: true)).ToList(), ct);
    }

    private async Task<ImportJobStatus> CreateCoreAsync(string accountKey, List<(string Name, Func<Stream> Open, bool Owned)> uploads, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        if (accounts.Get(accountKey) is null)
        {
            throw new UnknownAccountException(accountKey);
        }

        if (uploads.Count == 0)
        {
            throw new ImportFormatException("(no file)", null, "no file was given");
        }

        var now = time.GetUtcNow();
        var jobId = ImportJobStore.NewId(now);
        var directory = jobs.DirectoryOf(jobId);
        try
        {
            PrivateFiles.EnsureDirectory(jobs.ImportsDirectory);
            PrivateFiles.EnsureDirectory(directory);
            var stored = new List<ImportUpload>(uploads.Count);
            long total = 0;
            for (var i = 0; i < uploads.Count; i++)
            {
                var (name, open, owned) = uploads[i];
                var safe = SafeName(name);
                var folder = i.ToString(CultureInfo.InvariantCulture);
                PrivateFiles.EnsureDirectory(Path.Combine(directory, folder));
                var relative = Path.Combine(folder, safe);
                var content = open();
                try
                {
                    await using var file = PrivateFiles.CreateNew(Path.Combine(directory, relative));
                    total = await CopyAsync(safe, content, file, total, ct);
                }
                finally
                {
                    if (owned)
                    {
                        await content.DisposeAsync();
                    }
                }

                stored.Add(new ImportUpload(safe, relative));
            }

            var status = await ValidateAsync(jobId, accountKey, now, directory, stored, ct);
            jobs.Create(status, stored);
            LogAccepted(logger, jobId, accountKey, status.Files.Length, status.Files.Sum(f => f.Rows), total);
        }
        catch (Exception exception)
        {
            Delete(directory);
            if (exception is ImportFormatException format)
            {
                LogRefused(logger, accountKey, format.Message);
            }

            throw;
        }

        await grains.GetGrain<IImportJobGrain>(jobId).StartAsync();
        return jobs.Get(jobId) ?? throw new InvalidOperationException($"Import job {jobId} vanished as it started.");
    }

    /// <summary>Opens the job's files as <see cref="ImportSource"/> does for a resumed job, and counts every file's rows.</summary>
    private async Task<ImportJobStatus> ValidateAsync(string jobId, string accountKey, DateTimeOffset now, string directory, List<ImportUpload> stored, CancellationToken ct)
    {
        await using var source = await OpenAsync(directory, stored, limits.Value, ct);
        if (source.Files.Count == 0)
        {
            var names = string.Join(", ", stored.Select(s => s.Name));
            throw new ImportFormatException(stored[0].Name, null, $"holds no streaming history file ({names}: Streaming_History_Audio_*.json, StreamingHistory_music_*.json, endsong_*.json or an orleans-spotify json export)");
        }

        var files = ImmutableArray.CreateBuilder<ImportFileProgress>(source.Files.Count);
        foreach (var file in source.Files)
        {
            long rows = 0;
            await foreach (var _ in readers.ReadAsync(file, ct))
            {
                rows++;
            }

            files.Add(new ImportFileProgress(file.Name, file.Format, rows, 0, 0, 0, 0, ImmutableDictionary<string, long>.Empty));
        }

        return new ImportJobStatus(
            jobId,
            accountKey,
            ImportJobState.Queued,
            now,
            null,
            null,
            files.MoveToImmutable(),
            [.. source.Skipped.Select(s => new ImportSkippedEntry(s.Name, s.Reason))],
            null);
    }

    /// <summary>The stored uploads of a job, recognised (the same files, in the same order, every time).</summary>
    internal static Task<ImportSource> OpenAsync(string directory, IReadOnlyList<ImportUpload> uploads, ImportLimits limits, CancellationToken ct) =>
        ImportSource.OpenPathsAsync(uploads.Select(u => Path.Combine(directory, u.Path)), limits, ct);

    /// <summary>Removes a job's folder; a folder already gone is fine.</summary>
    internal static void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Left behind: it holds nothing a finished job needs, and a later job has a folder of its own.
        }
    }

    private async Task<long> CopyAsync(string name, Stream content, Stream file, long total, CancellationToken ct)
    {
        var max = limits.Value.MaxUploadBytes;
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > max)
            {
                throw new ImportFormatException(name, null, $"the upload is larger than {max:N0} bytes (the limit)");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        return total;
    }

    private static Stream OpenPath(string path)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ImportFormatException(Path.GetFileName(path), null, "cannot be read: " + exception.Message, exception);
        }
    }

    /// <summary>
    /// The name a file is kept under: the client's last segment, without control characters or invalid UTF-16, at most
    /// <see cref="MaxNameBytes"/> UTF-8 bytes (the extension kept, so the format is still recognised by name).
    /// </summary>
    internal static string SafeName(string? name)
    {
        var last = ImportFileNames.LastSegment(name ?? string.Empty);
        var builder = new StringBuilder(last.Length);
        foreach (var rune in last.EnumerateRunes())
        {
            builder.Append(Rune.IsControl(rune) || rune == Rune.ReplacementChar ? "_" : rune.ToString());
        }

        var clean = builder.ToString().Trim();
        if (clean.Length == 0 || clean.All(c => c == '.'))
        {
            return "upload";
        }

        if (Encoding.UTF8.GetByteCount(clean) <= MaxNameBytes)
        {
            return clean;
        }

        var extension = Path.GetExtension(clean);
        if (extension.Length > 16)
        {
            extension = string.Empty;
        }

        var stem = clean[..^extension.Length];
        var runes = stem.EnumerateRunes().ToList();
        while (runes.Count > 0 && Encoding.UTF8.GetByteCount(string.Concat(runes.Select(r => r.ToString()))) + Encoding.UTF8.GetByteCount(extension) > MaxNameBytes)
        {
            runes.RemoveAt(runes.Count - 1);
        }

        return string.Concat(runes.Select(r => r.ToString())) + extension;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted import job {JobId} for {Account}: {Files} files, {Rows} rows, {Bytes} bytes")]
    private static partial void LogAccepted(ILogger logger, string jobId, string account, int files, long rows, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an import for {Account}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string account, string reason);
}
