using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace OrleansSpotify.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when code starts waiting on it: each timer created is announced with
/// its due time (in order, none missed), so a test advances the clock exactly when, and as far as, something waits,
/// or knows that a component has reached its wait, instead of stepping or sleeping on a real-time beat. Every arming
/// of a timer (created, or changed as a grain timer is re-armed at the end of its tick) and every disposal is also
/// raised as <see cref="Armed"/>, stamped with the fake time it happened at.
/// </summary>
public sealed class TimerSignallingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>A timer was armed to fire <paramref name="Due"/> after <paramref name="At"/> (infinite: disarmed or disposed).</summary>
    public readonly record struct TimerArmed(TimeSpan Due, DateTimeOffset At);

    /// <summary>Raised, on the arming thread, after a timer was created, changed or disposed.</summary>
    public event Action<TimerArmed>? Armed;

    /// <summary>The due times of the timers created, in order.</summary>
    public ChannelReader<TimeSpan> TimersCreated => _created.Reader;

    /// <summary>Completes once a timer due in <paramref name="due"/> has been created (since the last read).</summary>
    public async Task WaitForTimerAsync(TimeSpan due, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            while (await _created.Reader.ReadAsync(bound.Token) != due)
            {
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No timer due in {due} was created within {timeout}.");
        }
    }

    /// <summary>
    /// Runs <paramref name="act"/> (typically an <see cref="FakeTimeProvider.Advance"/>) and completes with the first
    /// arming after it that <paramref name="match"/> accepts; fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task<TimerArmed> ArmedAfterAsync(Action act, Func<TimerArmed, bool> match, TimeSpan timeout, string because, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource<TimerArmed>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(TimerArmed armed)
        {
            if (match(armed))
            {
                seen.TrySetResult(armed);
            }
        }

        Armed += Check;
        try
        {
            act();
            return await seen.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"Waited {timeout} for {because}.", exception);
        }
        finally
        {
            Armed -= Check;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SignallingTimer(base.CreateTimer(callback, state, dueTime, period), this);
        _created.Writer.TryWrite(dueTime);
        OnArmed(dueTime);
        return timer;
    }

    private void OnArmed(TimeSpan due) => Armed?.Invoke(new TimerArmed(due, GetUtcNow()));

    private sealed class SignallingTimer(ITimer inner, TimerSignallingClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            clock.OnArmed(dueTime);
            return changed;
        }

        public void Dispose()
        {
            inner.Dispose();
            clock.OnArmed(Timeout.InfiniteTimeSpan);
        }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            clock.OnArmed(Timeout.InfiniteTimeSpan);
        }
    }
}
