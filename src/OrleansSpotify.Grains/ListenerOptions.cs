using System.ComponentModel.DataAnnotations;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>
/// Polling cadences of <see cref="ListenerGrain"/>, bound from the <c>Polling</c> section and validated at start-up.
/// The <see cref="PollPlanner"/> spends them: see its rules.
/// </summary>
public sealed class ListenerOptions : IValidatableObject
{
    public const string SectionName = "Polling";

    /// <summary>
    /// Whether the silo's start wakes every active account's listener (and the genre lookups). The service does; the
    /// <c>import</c> command, which runs the silo only to import files, does not (it makes no Spotify call).
    /// </summary>
    public bool ResumeAtStartup { get; set; } = true;

    /// <summary>
    /// The longest wait between two polls of <c>/me/player</c> while something plays (the "never more than 60 s":
    /// a long episode or a chain of skips is not slept through). The planner polls sooner around the moments that
    /// matter (a track's predicted end, a skip chain). Default 60 s; tests may set it very short (fast cadence) or
    /// very long (no polling).
    /// </summary>
    public TimeSpan ActiveInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long after a track's predicted natural end (its duration minus its progress) the next poll lands.</summary>
    public TimeSpan EndOfTrackMargin { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// The cadence while the member may be skipping: after a fresh start or a track replaced before its end, until the
    /// playing track survives <see cref="SkipWatchBelow"/> (skips come in chains).
    /// </summary>
    public TimeSpan SkipWatchInterval { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// One poll at this progress into every item that started (when it comes before the 60 s cap would): a skip chain
    /// begun on a track that followed another naturally is found here, not a minute later. Costs at most one poll per
    /// track; zero turns it off.
    /// </summary>
    public TimeSpan SkipProbeProgress { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A play shorter than this is a skip; the skip watch lasts until a track has played this long.</summary>
    public TimeSpan SkipWatchBelow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first interval once nothing plays (or playback is paused); it doubles every <see cref="IdleDoublingPolls"/> such polls.</summary>
    public TimeSpan IdleMinInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The cap of the idle back-off, stretched by the quota's <see cref="QuotaBudget.Pace"/>.</summary>
    public TimeSpan IdleMaxInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The cap of the back-off while playback is paused (a paused item may resume any time), stretched by the pace.</summary>
    public TimeSpan PausedMaxInterval { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 1000)]
    public int IdleDoublingPolls { get; set; } = 1;

    /// <summary>While something plays, recently-played is read at least this often (stretched by the pace, up to twice).</summary>
    public TimeSpan HistoryIntervalWhileActive { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>While idle, recently-played is still read this often (offline plays are backfilled late); never stretched.</summary>
    public TimeSpan HistoryIntervalWhileIdle { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Recently-played is read once this many plays have ended since the last read, even mid-session (it holds 50:
    /// with the interval above no more than ~40 can pile up unread while the account is polled).
    /// </summary>
    [Range(1, 45)]
    public int HistoryBatchPlays { get; set; } = 20;

    /// <summary>
    /// How long after a live observation's end a recently-played read must come before the observation counts as
    /// unlisted (Spotify lists a play after it ended, sometimes late); an unlisted one is then stored as a live play.
    /// </summary>
    public TimeSpan HistorySettle { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>While the quota's budget is exhausted only recently-played is read, this often.</summary>
    public TimeSpan ExhaustedHistoryInterval { get; set; } = TimeSpan.FromHours(2);

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

    /// <summary>The idle (or paused) interval after <paramref name="idleCount"/> consecutive such polls, before the pace and the cap.</summary>
    public TimeSpan IdleInterval(int idleCount)
    {
        var doublings = Math.Min(30, Math.Max(0, idleCount - 1) / IdleDoublingPolls);
        var ticks = IdleMinInterval.Ticks * Math.Pow(2, doublings);
        return TimeSpan.FromTicks((long)Math.Min(ticks, TimeSpan.MaxValue.Ticks / 4));
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
        {
            (nameof(ActiveInterval), ActiveInterval), (nameof(SkipWatchInterval), SkipWatchInterval), (nameof(SkipWatchBelow), SkipWatchBelow),
            (nameof(IdleMinInterval), IdleMinInterval), (nameof(IdleMaxInterval), IdleMaxInterval), (nameof(PausedMaxInterval), PausedMaxInterval),
            (nameof(HistoryIntervalWhileActive), HistoryIntervalWhileActive), (nameof(HistoryIntervalWhileIdle), HistoryIntervalWhileIdle),
            (nameof(ExhaustedHistoryInterval), ExhaustedHistoryInterval), (nameof(FailureBackoffMin), FailureBackoffMin),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{SectionName}:{name} must be positive.", [name]);
            }
        }

        if (EndOfTrackMargin < TimeSpan.Zero || EndOfTrackMargin > TimeSpan.FromSeconds(10))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(EndOfTrackMargin)} must be between 0 and 10 seconds.", [nameof(EndOfTrackMargin)]);
        }

        if (SkipProbeProgress < TimeSpan.Zero || SkipProbeProgress >= SkipWatchBelow)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(SkipProbeProgress)} must be at least 0 and shorter than {nameof(SkipWatchBelow)}.", [nameof(SkipProbeProgress)]);
        }

        if (HistorySettle < TimeSpan.Zero)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(HistorySettle)} must not be negative.", [nameof(HistorySettle)]);
        }

        if (IdleMaxInterval < IdleMinInterval)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(IdleMaxInterval)} must not be shorter than {nameof(IdleMinInterval)}.", [nameof(IdleMaxInterval)]);
        }

        if (ExhaustedHistoryInterval > TimeSpan.FromHours(2))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(ExhaustedHistoryInterval)} must be at most 2 hours (recently-played holds only 50 plays).", [nameof(ExhaustedHistoryInterval)]);
        }
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
