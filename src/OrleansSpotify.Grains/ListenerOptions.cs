using System.ComponentModel.DataAnnotations;

namespace OrleansSpotify.Grains;

/// <summary>Polling cadences of <see cref="ListenerGrain"/>, bound from the <c>Polling</c> section.</summary>
public sealed class ListenerOptions
{
    public const string SectionName = "Polling";

    /// <summary>
    /// Whether the silo's start wakes every active account's listener (and the genre lookups). The service does; the
    /// <c>import</c> command, which runs the silo only to import files, does not (it makes no Spotify call).
    /// </summary>
    public bool ResumeAtStartup { get; set; } = true;

    /// <summary>Currently-playing cadence while something plays.</summary>
    public TimeSpan ActiveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first idle interval; it doubles every <see cref="IdleDoublingPolls"/> idle polls.</summary>
    public TimeSpan IdleMinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The cap of the idle back-off.</summary>
    public TimeSpan IdleMaxInterval { get; set; } = TimeSpan.FromSeconds(120);

    [Range(1, 1000)]
    public int IdleDoublingPolls { get; set; } = 6;

    /// <summary>While something plays, recently-played is re-read at least this often.</summary>
    public TimeSpan HistoryIntervalWhileActive { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>While idle, recently-played is still re-read this often (offline plays are backfilled late).</summary>
    public TimeSpan HistoryIntervalWhileIdle { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>First back-off after a failed poll (5xx, timeouts, malformed answers); doubles per failure, jittered.</summary>
    public TimeSpan FailureBackoffMin { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan FailureBackoffMax { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often an account Spotify refuses (403: not allowlisted, owner without Premium) is retried.</summary>
    public TimeSpan BlockedRetryInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Period of the reminder that brings a deactivated listener back (reminders fire at most once a minute).</summary>
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Random spread (±fraction) applied to failure back-offs so accounts do not retry in lock-step.</summary>
    [Range(0.0, 1.0)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>The idle interval after <paramref name="idleCount"/> consecutive idle polls.</summary>
    public TimeSpan IdleInterval(int idleCount)
    {
        var doublings = Math.Min(30, Math.Max(0, idleCount - 1) / IdleDoublingPolls);
        var ticks = IdleMinInterval.Ticks * Math.Pow(2, doublings);
        return TimeSpan.FromTicks((long)Math.Min(ticks, IdleMaxInterval.Ticks));
    }

    /// <summary>The back-off after <paramref name="failures"/> consecutive failures, before jitter.</summary>
    public TimeSpan FailureBackoff(int failures)
    {
        var ticks = FailureBackoffMin.Ticks * Math.Pow(2, Math.Min(30, Math.Max(0, failures - 1)));
        return TimeSpan.FromTicks((long)Math.Min(ticks, FailureBackoffMax.Ticks));
    }

    /// <summary>
    /// <see cref="FailureBackoff"/> spread by ±<see cref="Jitter"/>; <paramref name="sample"/> in [0, 1) picks where in the
    /// spread (0: the shortest, 0.5: the back-off itself; the listener draws it at random).
    /// </summary>
    public TimeSpan JitteredFailureBackoff(int failures, double sample) =>
        TimeSpan.FromTicks((long)(FailureBackoff(failures).Ticks * (1 + (((sample * 2) - 1) * Jitter))));
}
