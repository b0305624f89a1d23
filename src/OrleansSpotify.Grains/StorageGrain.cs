using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Import;
using OrleansSpotify.Storage.Metadata;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Grains;

/// <summary>
/// The single writer of plays into SQLite. Callers' plays queue up; one flush at a time takes up to
/// <see cref="StorageGrainOptions.MaxBatchSize"/> of them into one transaction (group commit), after at most
/// <see cref="StorageGrainOptions.FlushDelay"/>. Each caller's task completes only when the transaction
/// holding its plays has committed, so a caller that advances a cursor afterwards never skips a play.
/// After each commit the plays that were new (and only those) are announced through <see cref="IListeningEvents"/>;
/// imported history (any source but recently-played) is not live news and is not announced.
/// The queue is bounded (<see cref="StorageGrainOptions.MaxPendingPlays"/>), and a database that refuses writes (full
/// disk, read-only) fails its callers with <see cref="StorageUnavailableException"/>: nothing piles up, and callers
/// that have not moved their cursor offer the same plays again later.
/// Imports (<see cref="IStorageGrain.ImportAsync"/>) write through the same connection, one batch per transaction;
/// the <see cref="WriterTurns"/> give a waiting flush of polled plays the next turn, so it waits at most the one
/// import batch being written.
/// </summary>
[Reentrant]
public sealed partial class StorageGrain(
    SqliteDatabase database,
    CatalogCache catalog,
    IOptions<StorageGrainOptions> options,
    IListeningEvents events,
    TimeProvider timeProvider,
    ILogger<StorageGrain> logger) : Grain, IStorageGrain
{
    private readonly StorageGrainOptions _options = options.Value;
    private readonly Queue<PendingRequest> _pending = new();
    private int _pendingPlays;
    private PlayWriter? _writer;
    private PlayImporter? _importer;
    private TrackMetadataWriter? _metadata;
    private readonly WriterTurns _turns = new();
    private Task? _flushLoop;
    private bool _flushing;
    private TaskCompletionSource? _batchFull;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writer = new PlayWriter(database);
        _importer = new PlayImporter(_writer);
        _metadata = new TrackMetadataWriter(_writer);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Best effort: callers still hold their tasks, and an unflushed play is re-read by its listener anyway.
        _batchFull?.TrySetResult();
        if (_flushLoop is { } loop)
        {
            await loop;
        }

        _importer?.Dispose();
        _importer = null;
        _writer?.Dispose();
        _writer = null;
    }

    Task<int> IStorageGrain.RecordPlaysAsync(string accountKey, ImmutableArray<PlayRecord> plays)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        if (plays.IsDefaultOrEmpty)
        {
            return Task.FromResult(0);
        }

        if (_pendingPlays + plays.Length > _options.MaxPendingPlays && _pendingPlays > 0)
        {
            LogQueueFull(logger, plays.Length, accountKey, _pendingPlays);
            return Task.FromException<int>(new StorageUnavailableException(
                $"{_pendingPlays} plays already wait to be written (at most {_options.MaxPendingPlays})."));
        }

        var request = new PendingRequest(accountKey, plays, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending.Enqueue(request);
        _pendingPlays += plays.Length;

        if (!_flushing)
        {
            // Set before the loop starts: the loop may run to completion synchronously (a write that finished
            // before it was awaited) and its finally must be able to clear the flag.
            _flushing = true;
            _flushLoop = FlushLoopAsync();
        }
        else if (_pendingPlays >= _options.MaxBatchSize)
        {
            _batchFull?.TrySetResult();
        }

        return request.Completion.Task;
    }

    async Task<ImportBatchResult> IStorageGrain.ImportAsync(string accountKey, ImportFormat format, ImmutableArray<ImportedPlay> rows, ImportCheckpoint? checkpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        if (rows.IsDefaultOrEmpty && checkpoint is null)
        {
            return new ImportBatchResult(0, 0, 0, ImmutableDictionary<string, int>.Empty);
        }

        await _turns.WaitAsync(priority: false);
        ImportBatchResult result;
        var started = timeProvider.GetTimestamp();
        try
        {
            var importer = _importer ?? throw new InvalidOperationException("The storage grain is not active.");
            // An import job's progress moves in the batch's own transaction: both commit or neither does.
            Action<Microsoft.Data.Sqlite.SqliteTransaction, ImportBatchResult>? advance = checkpoint is null
                ? null
                : (transaction, batch) => ImportJobStore.Advance(transaction, checkpoint, batch);
            result = await Task.Run(() => importer.Import(accountKey, format, rows.IsDefault ? [] : rows, advance));
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception) when (SqliteDatabase.IsWriteOutage(exception))
        {
            var reason = SqliteDatabase.Describe(exception);
            LogImportRefused(logger, accountKey, rows.IsDefault ? 0 : rows.Length, reason);
            throw new StorageUnavailableException(reason);
        }
        finally
        {
            _turns.Release();
        }

        LogImportCommitted(logger, rows.IsDefault ? 0 : rows.Length, accountKey, result.Imported, result.Merged, result.Duplicates, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        if (result.Imported + result.Merged > 0)
        {
            // Stats include imported plays at once: tell the account's stats grain and the household's, as for polled
            // plays. Imported tracks may lack their duration and album, or be known only by name: the metadata
            // fetcher looks them up in the background (not awaited).
            await NotifyAccountsAsync([accountKey]);
            GrainFactory.GetGrain<IMetadataGrain>(Constants.MetadataFetcherKey).WakeAsync().Ignore();
        }

        return result;
    }

    async Task<TrackMetadataStored> IStorageGrain.StoreTrackMetadataAsync(long trackId, TrackInfo track)
    {
        ArgumentNullException.ThrowIfNull(track);
        await _turns.WaitAsync(priority: false);
        TrackMetadataResult result;
        try
        {
            var metadata = _metadata ?? throw new InvalidOperationException("The storage grain is not active.");
            var importer = _importer!;
            var now = timeProvider.GetUtcNow();
            result = await Task.Run(() =>
            {
                try
                {
                    return metadata.Apply(trackId, track, now);
                }
                finally
                {
                    // The importer's memory of the catalogue may name a track folded away or an artist merged.
                    importer.Forget();
                }
            });
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception) when (SqliteDatabase.IsWriteOutage(exception))
        {
            var reason = SqliteDatabase.Describe(exception);
            LogMetadataRefused(logger, trackId, reason);
            throw new StorageUnavailableException(reason);
        }
        finally
        {
            _turns.Release();
        }

        if (result.Applied)
        {
            // Tracks changed album or artists (or were folded away): the catalogue snapshot is read afresh, and the
            // stats of the accounts that played the track are recomputed.
            catalog.Invalidate();
            LogMetadataStored(logger, trackId, result.TrackId, result.Folded, result.DroppedPlays, result.MergedPlays);
            await NotifyAccountsAsync(result.Accounts);
        }

        return new TrackMetadataStored(result.Applied, result.Folded, result.DroppedPlays, result.MergedPlays);
    }

    private async Task FlushLoopAsync()
    {
        try
        {
            if (_options.FlushDelay > TimeSpan.Zero && _pendingPlays < _options.MaxBatchSize)
            {
                _batchFull = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await Task.WhenAny(_batchFull.Task, Task.Delay(_options.FlushDelay, timeProvider));
                _batchFull = null;
            }

            // Requests that arrive while a batch is written queue up and form the next batch (group commit).
            // Between the last check and the finally there is no await, so no request can slip in unseen.
            while (_pending.Count > 0)
            {
                await FlushBatchAsync(TakeBatch());
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    private List<PendingRequest> TakeBatch()
    {
        var batch = new List<PendingRequest>();
        var size = 0;
        while (_pending.TryPeek(out var next) && (batch.Count == 0 || size + next.Plays.Length <= _options.MaxBatchSize))
        {
            batch.Add(_pending.Dequeue());
            size += next.Plays.Length;
        }

        _pendingPlays -= size;
        return batch;
    }

    private async Task FlushBatchAsync(List<PendingRequest> batch)
    {
        var writer = _writer ?? throw new InvalidOperationException("The storage grain is not active.");
        var rows = new List<PendingPlay>(batch.Sum(r => r.Plays.Length));
        foreach (var request in batch)
        {
            rows.AddRange(request.Plays.Select(play => new PendingPlay(request.AccountKey, play)));
        }

        try
        {
            // Microsoft.Data.Sqlite is synchronous: write off the grain's turn so reads of this grain stay responsive.
            // A flush goes before any import batch still waiting for the writer.
            bool[] inserted;
            bool[] changed = [];
            await _turns.WaitAsync(priority: true);
            try
            {
                inserted = await Task.Run(() => writer.Write(rows, out changed));
            }
            finally
            {
                _turns.Release();
            }

            // Invalidate cached stats before any caller learns of the commit, so what it asks next sees the new plays.
            // A changed play (its real ms_played attached: a skip after all) moves the stats as a new one does.
            await NotifyStatsAsync(batch, [.. inserted.Zip(changed, (i, c) => i || c)]);
            Announce(batch, inserted);
            var offset = 0;
            var total = 0;
            foreach (var request in batch)
            {
                var added = 0;
                for (var i = 0; i < request.Plays.Length; i++)
                {
                    added += inserted[offset + i] ? 1 : 0;
                }

                offset += request.Plays.Length;
                total += added;
                request.Completion.TrySetResult(added);
            }

            LogBatchCommitted(logger, rows.Count, total, batch.Count);
        }
        catch (Exception exception) when (batch.Count > 1)
        {
            // One bad request (e.g. an unknown account) must not fail the others: retry each on its own.
            LogBatchSplit(logger, exception, batch.Count);
            foreach (var request in batch)
            {
                await FlushBatchAsync([request]);
            }
        }
        catch (Exception exception) when (SqliteDatabase.IsWriteOutage(exception))
        {
            // Full disk, read-only database, I/O error: the plays are not stored, and the caller is told so plainly.
            var reason = SqliteDatabase.Describe((Microsoft.Data.Sqlite.SqliteException)exception);
            LogBatchRefused(logger, batch[0].AccountKey, rows.Count, reason);
            batch[0].Completion.TrySetException(new StorageUnavailableException(reason));
        }
        catch (Exception exception)
        {
            LogBatchFailed(logger, exception, batch[0].AccountKey, rows.Count);
            batch[0].Completion.TrySetException(exception);
        }
    }

    /// <summary>Cached stats are invalidated by new plays (only by them): tell the accounts that got some, and the household.</summary>
    private async Task NotifyStatsAsync(List<PendingRequest> batch, bool[] inserted)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var request in batch)
        {
            if (inserted.AsSpan(offset, request.Plays.Length).Contains(true))
            {
                changed.Add(request.AccountKey);
            }

            offset += request.Plays.Length;
        }

        await NotifyAccountsAsync(changed);
    }

    private async Task NotifyAccountsAsync(IReadOnlyCollection<string> changed)
    {
        if (changed.Count == 0)
        {
            return;
        }

        // New plays may name new artists: the genre fetcher looks them up in the background (not awaited).
        GrainFactory.GetGrain<IGenreGrain>(Constants.GenreFetcherKey).WakeAsync().Ignore();

        var notices = changed.Select(account => GrainFactory.GetGrain<IAccountStatsGrain>(account).PlaysCommittedAsync())
            .Append(GrainFactory.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey).ChangedAsync());
        try
        {
            await Task.WhenAll(notices);
        }
        catch (Exception exception)
        {
            // The plays are committed whatever happens here; a stats grain that missed the notice is on another
            // activation by now or will be reloaded when it deactivates.
            LogNotifyFailed(logger, exception);
        }
    }

    /// <summary>
    /// Announces each account's newly inserted plays from recently-played and live capture, newest first; never fails the commit it
    /// follows. Imports (tens of thousands of old plays in batches) would flood every open dashboard with history.
    /// </summary>
    private void Announce(List<PendingRequest> batch, bool[] inserted)
    {
        var added = new Dictionary<string, List<PlayRecord>>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var request in batch)
        {
            for (var i = 0; i < request.Plays.Length; i++)
            {
                if (inserted[offset + i] && request.Plays[i].Source is PlaySource.RecentlyPlayed or PlaySource.Live)
                {
                    if (!added.TryGetValue(request.AccountKey, out var list))
                    {
                        added[request.AccountKey] = list = [];
                    }

                    list.Add(request.Plays[i]);
                }
            }

            offset += request.Plays.Length;
        }

        foreach (var (account, plays) in added)
        {
            try
            {
                events.PlaysCommitted(account, [.. plays.OrderByDescending(p => p.PlayedAt)]);
            }
            catch (Exception exception)
            {
                LogAnnounceFailed(logger, exception, account);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported a batch of {Rows} rows for {Account}: {Imported} new, {Merged} merged with polled plays, {Duplicates} stored before ({Ms:F0} ms)")]
    private static partial void LogImportCommitted(ILogger logger, int rows, string account, int imported, int merged, int duplicates, double ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored Spotify's metadata of track {TrackId} (now track {Survivor}; folded: {Folded}, duplicate plays dropped: {Dropped}, merged into polled plays: {Merged})")]
    private static partial void LogMetadataStored(ILogger logger, long trackId, long survivor, bool folded, int dropped, int merged);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refuses writes; the metadata of track {TrackId} is not stored: {Reason}")]
    private static partial void LogMetadataRefused(ILogger logger, long trackId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refuses writes; an import batch of {Rows} rows for {Account} is not stored: {Reason}")]
    private static partial void LogImportRefused(ILogger logger, string account, int rows, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce the new plays of account {Account}")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the stats grains about committed plays")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);

    private sealed record PendingRequest(string AccountKey, ImmutableArray<PlayRecord> Plays, TaskCompletionSource<int> Completion);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed a batch of {Plays} plays ({New} new) for {Requests} requests")]
    private static partial void LogBatchCommitted(ILogger logger, int plays, int @new, int requests);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Requests} requests failed; retrying them one by one")]
    private static partial void LogBatchSplit(ILogger logger, Exception exception, int requests);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Plays} plays of account {Account}: {Pending} plays already wait to be written")]
    private static partial void LogQueueFull(ILogger logger, int plays, string account, int pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refuses writes; {Plays} plays of account {Account} are not stored (their listener offers them again): {Reason}")]
    private static partial void LogBatchRefused(ILogger logger, string account, int plays, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Plays} plays of account {Account}")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string account, int plays);
}
