using System.Diagnostics;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>
/// The fake Spotify's clock: it shows <see cref="Origin"/> until <see cref="Start"/>, then runs <see cref="Speed"/>
/// times faster than real time. Real instants are measured as seconds since <see cref="Start"/>, and every clock
/// reading maps back to one (<see cref="RealSeconds"/>), so the fake's request log can be compared with the
/// real-time waits the Host was asked for.
/// </summary>
public sealed class CompressedClock(DateTimeOffset origin, double speed) : TimeProvider
{
    private long _startedAt;

    public DateTimeOffset Origin { get; } = origin;

    public double Speed { get; } = speed;

    public void Start() => Interlocked.CompareExchange(ref _startedAt, Stopwatch.GetTimestamp(), 0);

    /// <summary>Real seconds since <see cref="Start"/> (0 before).</summary>
    public double RealNow
    {
        get
        {
            var started = Volatile.Read(ref _startedAt);
            return started == 0 ? 0 : Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
    }

    public override DateTimeOffset GetUtcNow() => Origin + TimeSpan.FromSeconds(RealNow * Speed);

    /// <summary>The real instant (seconds since <see cref="Start"/>) at which the clock shows <paramref name="at"/>.</summary>
    public double RealSeconds(DateTimeOffset at) => (at - Origin).TotalSeconds / Speed;

    /// <summary>How long, in real time, until the clock shows <paramref name="at"/> (zero if it already has).</summary>
    public TimeSpan RealDelayUntil(DateTimeOffset at)
    {
        var seconds = RealSeconds(at) - RealNow;
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
    }

    /// <summary>Waits until the clock shows <paramref name="at"/>.</summary>
    public async Task WaitUntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        // Timer resolution: wake up slightly early at most once, then again for the remainder.
        for (var delay = RealDelayUntil(at); delay > TimeSpan.Zero; delay = RealDelayUntil(at))
        {
            await Task.Delay(delay + TimeSpan.FromMilliseconds(1), cancellationToken);
        }
    }
}
