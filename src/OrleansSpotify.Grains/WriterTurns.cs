namespace OrleansSpotify.Grains;

/// <summary>
/// Whose turn it is at the storage grain's one SQLite writer: one write at a time; when a write ends, a waiting flush
/// of polled plays goes first, then import batches in the order they came. So a live poll's commit waits at most one
/// import batch, however many are queued. Used on the grain's own (single-threaded) scheduler only.
/// </summary>
internal sealed class WriterTurns
{
    private readonly Queue<TaskCompletionSource> _imports = new();
    private TaskCompletionSource? _flush;
    private bool _busy;

    /// <summary>True while an import batch has the writer and a flush waits for it (for tests and logs).</summary>
    public bool FlushWaiting => _flush is not null;

    /// <summary>Completes when the caller has the writer; <paramref name="priority"/>: a flush (one at a time).</summary>
    public Task WaitAsync(bool priority)
    {
        if (!_busy)
        {
            _busy = true;
            return Task.CompletedTask;
        }

        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (priority)
        {
            _flush = turn;
        }
        else
        {
            _imports.Enqueue(turn);
        }

        return turn.Task;
    }

    /// <summary>The writer is free: hands it to the waiting flush, else the oldest waiting import, else nobody.</summary>
    public void Release()
    {
        if (_flush is { } flush)
        {
            _flush = null;
            flush.SetResult();
        }
        else if (_imports.TryDequeue(out var import))
        {
            import.SetResult();
        }
        else
        {
            _busy = false;
        }
    }
}
