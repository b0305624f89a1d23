using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Import;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Import;

namespace OrleansSpotify.Grains.Import;

/// <summary>
/// Runs one import job (key: the job id) in the background of its activation: a reader task parses the job's files
/// off the grain's turns into batches of <see cref="ImportJobOptions.BatchSize"/> rows, and the grain hands each batch
/// to the storage grain with a checkpoint, so the rows and the job's progress commit in one transaction. A job starts
/// (or resumes after a restart, a deactivation or a refused write) at each file's first uncommitted row. Done or
/// failed, its uploaded files are deleted. Progress is announced through <see cref="IListeningEvents"/>. Its reads and
/// writes of the job row run on the thread pool and are awaited, as every grain's SQLite calls.
/// </summary>
public sealed partial class ImportJobGrain(
    ImportJobStore jobs,
    ImportReaders readers,
    IOptions<ImportLimits> limits,
    IOptions<ImportJobOptions> options,
    IListeningEvents events,
    HistoryGapStore gaps,
    TimeProvider time,
    ILogger<ImportJobGrain> logger) : Grain, IImportJobGrain
{
    private readonly ImportJobOptions _options = options.Value;
    private Task? _run;
    private CancellationTokenSource? _stop;
    private IGrainTimer? _retry;
    private long _lastAnnounced;

    private string JobId => this.GetPrimaryKeyString();

    Task IImportJobGrain.StartAsync()
    {
        EnsureRunning();
        return Task.CompletedTask;
    }

    async Task<ImportJobStatus?> IImportJobGrain.GetStatusAsync()
    {
        var status = await Task.Run(() => jobs.Get(JobId));

        // A job that should run but does not here (its activation was collected, say) picks up where it stopped.
        if (status is { State: ImportJobState.Queued or ImportJobState.Running } && _retry is null)
        {
            EnsureRunning();
        }

        return status;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _retry?.Dispose();
        _retry = null;
        if (_stop is { } stop)
        {
            await stop.CancelAsync();
        }

        if (_run is { IsCompleted: false } run)
        {
            // The batch in flight commits with its checkpoint or not at all: whichever, the next start resumes exactly.
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            LogStopped(logger, JobId, reason.Description);
        }
    }

    private void EnsureRunning()
    {
        if (_run is { IsCompleted: false })
        {
            return;
        }

        _retry?.Dispose();
        _retry = null;
        _stop?.Dispose();
        _stop = new CancellationTokenSource();
        _run = RunAsync(_stop.Token);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        // Let StartAsync return first: the job runs between this activation's turns, not inside the caller's.
        await Task.Yield();
        this.DelayDeactivation(TimeSpan.FromDays(1));
        try
        {
            if (await Task.Run(() => jobs.Start(JobId, time.GetUtcNow())) is not { } status)
            {
                return;
            }

            Announce(status, force: true);
            var span = await ImportAsync(status, ct);
            await CloseGapsAsync(status.AccountKey, span);
            await FinishAsync(ImportJobState.Done, null);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Deactivating (the silo stops, say; the storage grain may be going too): the job stays running in the
            // database and resumes at the next start from its last committed batch.
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            await PauseAsync(exception);
        }
        catch (Exception exception)
        {
            var reason = exception switch
            {
                ImportFormatException format => format.Message,
                UnknownAccountException => "the account no longer exists",
                _ => exception.Message,
            };
            LogFailed(logger, exception, JobId, reason);
            try
            {
                await FinishAsync(ImportJobState.Failed, reason);
            }
            catch (Exception refused) when (IsTransient(refused))
            {
                await PauseAsync(refused);
            }
        }
        finally
        {
            this.DelayDeactivation(TimeSpan.FromMinutes(-1));
        }
    }

    /// <summary>
    /// The database refused a write: the job stays running and tries again after <see cref="ImportJobOptions.RetryDelay"/>
    /// from its last committed batch; the member is told why it stalls.
    /// </summary>
    private async Task PauseAsync(Exception exception)
    {
        LogPaused(logger, exception, JobId, _options.RetryDelay);
        _retry = this.RegisterGrainTimer(
            () =>
            {
                EnsureRunning();
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions { DueTime = _options.RetryDelay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
        try
        {
            if (await Task.Run(() => jobs.Get(JobId)) is { } paused)
            {
                Announce(paused with { Error = $"Paused: {exception.Message} The import resumes from its last committed batch in {_options.RetryDelay.TotalSeconds:0} s." }, force: true);
            }
        }
        catch (SqliteException unreadable)
        {
            LogAnnounceFailed(logger, unreadable, JobId);
        }
    }

    /// <summary>
    /// Every row of the job is committed: the account's open gaps its Spotify export spans (its first row at or before
    /// a gap's start, its last at or after its end) are closed. Only now, not batch by batch: a gap's window may straddle
    /// batches and files, and only the whole job's rows say it is covered. Before the job is marked done, so a crash in
    /// between resumes the job (its rows all skipped, the span read again) and closes them then.
    /// </summary>
    private async Task CloseGapsAsync(string accountKey, ImportSpan span)
    {
        if (span.First is { } first && span.Last is { } last)
        {
            var closed = await Task.Run(() => gaps.CloseCovered(accountKey, first, last, HistoryGap.ClosedByImport, time.GetUtcNow()));
            if (closed > 0)
            {
                LogGapsClosed(logger, JobId, closed, first, last);
            }
        }
    }

    private async Task<ImportSpan> ImportAsync(ImportJobStatus status, CancellationToken ct)
    {
        var uploads = await Task.Run(() => jobs.Uploads(JobId)) ?? throw new InvalidOperationException($"Import job {JobId} has no uploads.");
        await using var source = await ImportJobLauncher.OpenAsync(jobs.DirectoryOf(JobId), uploads, limits.Value, ct);
        if (source.Files.Count != status.Files.Length
            || source.Files.Where((file, i) => file.Name != status.Files[i].Name || file.Format != status.Files[i].Format).Any())
        {
            throw new ImportFormatException(uploads[0].Name, null, "the job's files are not those it was accepted with");
        }

        var storage = GrainFactory.GetGrain<IStorageGrain>(Constants.StorageGrainKey);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var span = new ImportSpan();
        var reader = Task.Run(() => ReadAsync(source, status, batches.Writer, span, stopReading.Token), CancellationToken.None);
        try
        {
            while (await batches.Reader.WaitToReadAsync(ct))
            {
                while (batches.Reader.TryRead(out var batch))
                {
                    var file = status.Files[batch.FileIndex];
                    await storage.ImportAsync(status.AccountKey, file.Format, batch.Rows, new ImportCheckpoint(JobId, batch.FileIndex, batch.NextRecord));
                    if (await Task.Run(() => jobs.Get(JobId)) is { } moved)
                    {
                        status = moved;
                        Announce(status, force: false);
                    }
                }
            }
        }
        catch (ChannelClosedException closed) when (closed.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Throw(inner);
        }
        finally
        {
            await stopReading.CancelAsync();
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        // The reader's own failure surfaces through the channel; this catches one it hit after the last batch.
        await reader;
        return span;
    }

    /// <summary>Reads every file from its first uncommitted row into batches; runs on the thread pool.</summary>
    private async Task ReadAsync(ImportSource source, ImportJobStatus status, ChannelWriter<Batch> writer, ImportSpan span, CancellationToken ct)
    {
        try
        {
            var size = _options.BatchSize;
            for (var i = 0; i < source.Files.Count; i++)
            {
                var progress = status.Files[i];
                var spans = ImportSpan.Covers(progress.Format);
                if (progress.NextRecord >= progress.Rows && !spans)
                {
                    continue;
                }

                // (A file committed before a resume is still read, for the span of the job's rows, and sends nothing.)
                long index = 0;
                var rows = ImmutableArray.CreateBuilder<ImportedPlay>(size);
                await foreach (var row in readers.ReadAsync(source.Files[i], ct))
                {
                    if (spans)
                    {
                        span.Add(row.EndedAt);
                    }

                    if (index++ < progress.NextRecord)
                    {
                        continue;
                    }

                    rows.Add(row);
                    if (rows.Count == size)
                    {
                        await writer.WriteAsync(new Batch(i, index, rows.MoveToImmutable()), ct);
                        rows = ImmutableArray.CreateBuilder<ImportedPlay>(size);
                    }
                }

                if (rows.Count > 0)
                {
                    await writer.WriteAsync(new Batch(i, index, rows.ToImmutable()), ct);
                }

                if (index != progress.Rows)
                {
                    throw new ImportFormatException(progress.Name, null, $"holds {index:N0} rows now but held {progress.Rows:N0} when the import was accepted");
                }
            }

            writer.Complete();
        }
        catch (Exception exception)
        {
            writer.Complete(exception);
            throw;
        }
    }

    private async Task FinishAsync(ImportJobState state, string? error)
    {
        var finished = await Task.Run(() =>
        {
            var finished = jobs.Finish(JobId, state, time.GetUtcNow(), error);
            ImportJobLauncher.Delete(jobs.DirectoryOf(JobId));
            return finished;
        });
        if (finished is not null)
        {
            LogFinished(logger, JobId, state);
            Announce(finished, force: true);
        }
    }

    /// <summary>The start and the end always; batches in between at most once per <see cref="ImportJobOptions.ProgressInterval"/>.</summary>
    private void Announce(ImportJobStatus status, bool force)
    {
        var now = time.GetTimestamp();
        if (!force && _lastAnnounced != 0 && time.GetElapsedTime(_lastAnnounced, now) < _options.ProgressInterval)
        {
            return;
        }

        _lastAnnounced = now;
        try
        {
            events.ImportProgressed(status);
        }
        catch (Exception exception)
        {
            LogAnnounceFailed(logger, exception, JobId);
        }
    }

    /// <summary>A refused write (full disk, read-only database) or a call that timed out: the job waits and resumes.</summary>
    private static bool IsTransient(Exception exception) =>
        exception is StorageUnavailableException or TimeoutException || (exception is SqliteException sqlite && SqliteDatabase.IsWriteOutage(sqlite));

    private sealed record Batch(int FileIndex, long NextRecord, ImmutableArray<ImportedPlay> Rows);

    /// <summary>
    /// The first and last row of the job's Spotify exports (a file skipped on resume is read again, its rows counted).
    /// This service's own export does not count: it holds the plays this service stored, the gap's hole included.
    /// Written by the reader task, read once it has completed.
    /// </summary>
    private sealed class ImportSpan
    {
        public DateTimeOffset? First { get; private set; }

        public DateTimeOffset? Last { get; private set; }

        public static bool Covers(ImportFormat format) => format is ImportFormat.ExtendedHistory or ImportFormat.AccountData;

        public void Add(DateTimeOffset endedAt)
        {
            if (First is null || endedAt < First)
            {
                First = endedAt;
            }

            if (Last is null || endedAt > Last)
            {
                Last = endedAt;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId} closed {Count} gaps of the history: its rows span {First} .. {Last}")]
    private static partial void LogGapsClosed(ILogger logger, string jobId, int count, DateTimeOffset first, DateTimeOffset last);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId} ended {State}")]
    private static partial void LogFinished(ILogger logger, string jobId, ImportJobState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import job {JobId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import job {JobId} paused; it resumes from its last committed batch in {Delay}")]
    private static partial void LogPaused(ILogger logger, Exception exception, string jobId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId} stopped with its activation ({Reason}); it resumes from its last committed batch")]
    private static partial void LogStopped(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce the progress of import job {JobId}")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, string jobId);
}
