using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace OrleansSpotify.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when code starts waiting on it: each timer created is announced with
/// its due time (in order, none missed), so a test advances the clock exactly when, and as far as, something waits,
/// or knows that a component has reached its wait, instead of stepping or sleeping on a real-time beat.
/// </summary>
public sealed class TimerSignallingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

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

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }
}
