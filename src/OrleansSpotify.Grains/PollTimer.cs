namespace OrleansSpotify.Grains;

/// <summary>
/// A listener's poll timer: one shot at a time, non-interleaving, keeping the grain alive; each poll schedules the next.
/// It knows when the next poll is due, for the listener's status and its watchdog.
/// </summary>
internal sealed class PollTimer(IGrainBase grain, Func<CancellationToken, Task> poll, TimeProvider timeProvider)
{
    private IGrainTimer? _timer;

    public bool IsRunning => _timer is not null;

    /// <summary>When the next poll is due; null when none is.</summary>
    public DateTimeOffset? NextPollAt { get; private set; }

    /// <summary>A new timer, the first poll after <paramref name="dueTime"/>.</summary>
    public void Start(TimeSpan dueTime)
    {
        _timer?.Dispose();
        _timer = grain.RegisterGrainTimer(poll, new GrainTimerCreationOptions
        {
            DueTime = dueTime,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
        NextPollAt = timeProvider.GetUtcNow() + dueTime;
    }

    /// <summary>The next poll after <paramref name="delay"/> (none is negative).</summary>
    public void Schedule(TimeSpan delay)
    {
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        if (_timer is null)
        {
            Start(delay);
            return;
        }

        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        NextPollAt = timeProvider.GetUtcNow() + delay;
    }

    /// <summary>No next poll: the timer fired, and the account no longer polls.</summary>
    public void NoNextPoll() => NextPollAt = null;

    public void Stop()
    {
        _timer?.Dispose();
        _timer = null;
        NextPollAt = null;
    }
}
