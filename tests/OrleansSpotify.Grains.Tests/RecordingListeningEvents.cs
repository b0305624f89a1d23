using System.Collections.Concurrent;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>Keeps every live event the grains announce, in order.</summary>
public sealed class RecordingListeningEvents : IListeningEvents
{
    private readonly ConcurrentQueue<object> _events = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<object> All => [.. _events];

    public IReadOnlyList<LiveState> NowPlaying(string accountKey) => [.. _events.OfType<LiveState>().Where(e => e.AccountKey == accountKey)];

    public IReadOnlyList<PlaysCommitted> Plays(string accountKey) => [.. _events.OfType<PlaysCommitted>().Where(e => e.AccountKey == accountKey)];

    public IReadOnlyList<AccountChanged> Accounts(string accountKey) => [.. _events.OfType<AccountChanged>().Where(e => e.AccountKey == accountKey)];

    public void NowPlayingChanged(LiveState state) => _events.Enqueue(state);

    public void PlaysCommitted(string accountKey, IReadOnlyList<PlayRecord> plays) => _events.Enqueue(new PlaysCommitted(accountKey, plays));

    public void AccountChanged(string accountKey) => _events.Enqueue(new AccountChanged(accountKey));

    public void ImportProgressed(ImportJobStatus status)
    {
        _events.Enqueue(status);
        TaskCompletionSource next;
        lock (_gate)
        {
            next = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        next.TrySetResult();
    }

    /// <summary>
    /// The first import progress of the job that satisfies <paramref name="condition"/>, checked now and after each
    /// announced progress (never on a timer); fails after <paramref name="seconds"/>.
    /// </summary>
    public async Task<ImportJobStatus> ImportAsync(string jobId, Func<ImportJobStatus, bool> condition, string because, int seconds = 60)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            Task next;
            lock (_gate)
            {
                next = _next.Task;
            }

            if (Imports(jobId).FirstOrDefault(condition) is { } found)
            {
                return found;
            }

            try
            {
                await next.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {seconds} s for import job {jobId}: {because}. Its progress: {string.Join("; ", Imports(jobId).Select(s => $"{s.State} {s.Files.Sum(f => f.NextRecord)}/{s.Files.Sum(f => f.Rows)} {s.Error}"))}");
            }
        }
    }

    /// <summary>The job's announcement that it ended (done or failed).</summary>
    public Task<ImportJobStatus> ImportEndedAsync(string jobId, int seconds = 60) =>
        ImportAsync(jobId, s => s.State is ImportJobState.Done or ImportJobState.Failed, "its end", seconds);

    public IReadOnlyList<ImportJobStatus> Imports(string jobId) => [.. _events.OfType<ImportJobStatus>().Where(e => e.JobId == jobId)];

    public void Clear() => _events.Clear();
}

public sealed record PlaysCommitted(string AccountKey, IReadOnlyList<PlayRecord> Plays);

public sealed record AccountChanged(string AccountKey);
