using System.Collections.Concurrent;
using System.Threading.Channels;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains;

namespace OrleansSpotify.Host.Import;

/// <summary>
/// The import command's <see cref="IListeningEvents"/>: keeps the newest status of every import job the silo reports
/// and wakes whoever waits for one; the other events have no one to show them to and are dropped. Returns at once and
/// never throws, as the interface asks.
/// </summary>
internal sealed class ImportProgressEvents : IListeningEvents
{
    private readonly ConcurrentDictionary<string, ImportJobStatus> _latest = new(StringComparer.Ordinal);
    private readonly Channel<string> _changed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void ImportProgressed(ImportJobStatus status)
    {
        if (status is null)
        {
            return;
        }

        _latest.AddOrUpdate(status.JobId, status, (_, current) => IsNotOlder(status, current) ? status : current);
        _changed.Writer.TryWrite(status.JobId);
    }

    public void NowPlayingChanged(LiveState state)
    {
    }

    public void PlaysCommitted(string accountKey, IReadOnlyList<PlayRecord> plays)
    {
    }

    public void AccountChanged(string accountKey)
    {
    }

    /// <summary>The newest status reported for a job, if any.</summary>
    public ImportJobStatus? Latest(string jobId) => _latest.GetValueOrDefault(jobId);

    /// <summary>
    /// Waits until the job reports again (a report that came while nobody waited counts), at most
    /// <paramref name="timeout"/>; returns its newest status then, or null when nothing came in time.
    /// </summary>
    public async Task<ImportJobStatus?> WaitForChangeAsync(string jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            while (await _changed.Reader.WaitToReadAsync(wait.Token))
            {
                var changed = false;
                while (_changed.Reader.TryRead(out var id))
                {
                    changed |= id == jobId;
                }

                if (changed)
                {
                    return Latest(jobId);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: the caller asks the job itself.
        }

        return null;
    }

    /// <summary>Whether <paramref name="next"/> is at least as far as <paramref name="current"/>: a later state, or as many rows committed.</summary>
    public static bool IsNotOlder(ImportJobStatus next, ImportJobStatus current)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(current);
        var byStage = Stage(next.State) - Stage(current.State);
        return byStage != 0 ? byStage > 0 : Committed(next) >= Committed(current);
    }

    /// <summary>Rows committed over every file.</summary>
    public static long Committed(ImportJobStatus status) => status.Files.IsDefault ? 0 : status.Files.Sum(f => f.NextRecord);

    private static int Stage(ImportJobState state) => state switch
    {
        ImportJobState.Queued => 0,
        ImportJobState.Running => 1,
        _ => 2,
    };
}
