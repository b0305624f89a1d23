using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>What a poll of <c>/me/player</c> found: something playing (a private session too), something paused, or nothing.</summary>
public enum PlayerActivity
{
    Nothing = 0,
    Paused = 1,
    Playing = 2,
}

/// <summary>What the planner needs of a poll: the activity, the item's progress and duration, whether a skip chain is watched.</summary>
public sealed record PollView(PlayerActivity Activity, long? ProgressMs, long? DurationMs, bool WatchSkips);

/// <summary>
/// The listener's cadence: when to poll next and when to read recently-played, so that the household's calls go where
/// they buy plays. Pure (tested without a cluster); <see cref="ListenerOptions"/> holds its knobs, the quota governor's
/// <see cref="QuotaBudget"/> its pace.
/// <para>Rules.</para>
/// <list type="number">
/// <item>Quota paused (a 429 <c>QUOTA_EXCEEDED</c> or Retry-After for the deployment): no call until the pause ends.</item>
/// <item>Budget exhausted: no <c>/me/player</c>; recently-played only, every <see cref="ListenerOptions.ExhaustedHistoryInterval"/> (≤ 2 h).</item>
/// <item>Playing: the next poll lands <see cref="ListenerOptions.EndOfTrackMargin"/> after the item's predicted natural
/// end (duration − progress), never later than <see cref="ListenerOptions.ActiveInterval"/> (60 s) from now; while a skip
/// chain may be on (a fresh start, or an item replaced before its end) every <see cref="ListenerOptions.SkipWatchInterval"/>
/// until the playing item has played <see cref="ListenerOptions.SkipWatchBelow"/>; otherwise one probe when an item that
/// just started reaches <see cref="ListenerOptions.SkipProbeProgress"/> (a chain begun on it shows). Jitter (up to −10 %) only shortens
/// the 60 s cap, never the end-of-track aim.</item>
/// <item>Paused or nothing: a back-off from <see cref="ListenerOptions.IdleMinInterval"/>, doubling every
/// <see cref="ListenerOptions.IdleDoublingPolls"/> polls up to <see cref="ListenerOptions.PausedMaxInterval"/> (paused) or
/// <see cref="ListenerOptions.IdleMaxInterval"/> (nothing), stretched by the pace; but no later than the moment live
/// observations settle (a read decides them) or the idle read of recently-played is due.</item>
/// <item>Recently-played is read on the first poll; once <see cref="ListenerOptions.HistoryBatchPlays"/> plays have ended
/// since the last read; while playing at least every <see cref="ListenerOptions.HistoryIntervalWhileActive"/> (stretched by
/// the pace, at most twice); once playback stopped or paused and the plays seen ending have settled; while idle every
/// <see cref="ListenerOptions.HistoryIntervalWhileIdle"/> (offline plays are backfilled late; never stretched).</item>
/// </list>
/// </summary>
public sealed class PollPlanner(ListenerOptions options)
{
    /// <summary>No poll comes sooner than this after another (unless the options are shorter: tests run fast cadences).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>The governor's pace (≥ 1; 1 without a budget).</summary>
    public static double Pace(QuotaBudget? budget) => budget?.Pace is { } pace && double.IsFinite(pace) && pace > 1 ? Math.Min(pace, 100) : 1;

    /// <summary>How long a quota pause still forbids any call at <paramref name="now"/>; null when none holds.</summary>
    public static TimeSpan? PauseLeft(QuotaBudget? budget, DateTimeOffset now) =>
        budget is { } b && b.IsPaused(now) ? b.PausedUntil!.Value - now : null;

    /// <summary>With the budget exhausted: whether to read recently-played now, and when to wake next.</summary>
    public (bool ReadHistory, TimeSpan Next) WhileExhausted(DateTimeOffset now, DateTimeOffset? lastHistoryRead)
    {
        var due = lastHistoryRead is { } last ? last + options.ExhaustedHistoryInterval : now;
        return due <= now ? (true, options.ExhaustedHistoryInterval) : (false, due - now);
    }

    /// <summary>Whether this poll reads recently-played.</summary>
    /// <param name="settledAt">When the first live observation awaiting a read settles (<see cref="LivePlayCapture.SettledAt"/>).</param>
    public bool HistoryDue(PlayerActivity activity, DateTimeOffset now, DateTimeOffset? lastHistoryRead, int playsEndedSinceRead, DateTimeOffset? settledAt, QuotaBudget? budget)
    {
        if (lastHistoryRead is not { } last)
        {
            return true;
        }

        if (playsEndedSinceRead >= options.HistoryBatchPlays)
        {
            return true;
        }

        var since = now - last;
        if (activity == PlayerActivity.Playing)
        {
            return since >= options.HistoryIntervalWhileActive * Math.Min(Pace(budget), 2);
        }

        return (settledAt is { } settled && settled <= now) || since >= options.HistoryIntervalWhileIdle;
    }

    /// <summary>The delay until the next poll, after this one (and its history read, if any) is done.</summary>
    /// <param name="idlePolls">Consecutive polls that found nothing playing (paused or nothing), this one included.</param>
    /// <param name="jitterSample">In [0, 1): how much of the (at most 10 %) jitter shortens the 60 s cap.</param>
    public TimeSpan NextPoll(PollView view, int idlePolls, DateTimeOffset now, DateTimeOffset? lastHistoryRead, DateTimeOffset? settledAt, QuotaBudget? budget, double jitterSample)
    {
        var floor = Min(MinInterval, options.ActiveInterval);
        TimeSpan next;
        if (view.Activity == PlayerActivity.Playing)
        {
            var cap = options.ActiveInterval * (1 - (0.1 * Math.Clamp(jitterSample, 0, 1)));
            next = cap;
            if (view is { ProgressMs: { } progress, DurationMs: > 0 and var duration })
            {
                var endAim = TimeSpan.FromMilliseconds(Math.Max(0, duration - progress)) + options.EndOfTrackMargin;
                var watching = view.WatchSkips && progress < options.SkipWatchBelow.TotalMilliseconds;
                next = Min(watching ? Min(options.SkipWatchInterval, cap) : cap, endAim);
                var probe = options.SkipProbeProgress.TotalMilliseconds - progress;
                if (!watching && options.SkipProbeProgress > TimeSpan.Zero && probe > 0)
                {
                    // A chain of skips that began on this track shows by then.
                    next = Min(next, TimeSpan.FromMilliseconds(probe));
                }
            }
        }
        else
        {
            var pace = Pace(budget);
            var cap = view.Activity == PlayerActivity.Paused ? Min(options.PausedMaxInterval, options.IdleMaxInterval) : options.IdleMaxInterval;
            next = Min(options.IdleInterval(idlePolls), cap) * pace;

            // Not later than a read is due: the ended plays settled, or the idle read of recently-played.
            if (settledAt is { } settled)
            {
                next = Min(next, settled - now);
            }

            if (lastHistoryRead is { } last)
            {
                next = Min(next, last + options.HistoryIntervalWhileIdle - now);
            }
        }

        // Whole milliseconds: progress is reported in them, and the live capture's arithmetic stays exact.
        next = TimeSpan.FromMilliseconds(Math.Round(next.TotalMilliseconds));
        return next < floor ? floor : next;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
