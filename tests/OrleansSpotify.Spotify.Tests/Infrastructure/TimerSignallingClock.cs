using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace OrleansSpotify.Spotify.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when code starts waiting on it: each timer created is announced with
/// its due time (in order, none missed), so a test advances the clock exactly when, and as far as, something waits,
/// instead of stepping it on a real-time beat.
/// </summary>
internal sealed class TimerSignallingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>The due times of the timers created, in order.</summary>
    public ChannelReader<TimeSpan> TimersCreated => _created.Reader;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }
}
