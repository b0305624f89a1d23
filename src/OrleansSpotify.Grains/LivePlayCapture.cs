using System.Collections.Immutable;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>What a live observation is of: a Spotify track (recently-played may list it), an episode or a local file (it never will).</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.Grains.LiveKind")]
public enum LiveKind
{
    Track = 0,
    Episode = 1,
    LocalFile = 2,
}

/// <summary>
/// The item a listener's polls are watching: when it started (worked out from the first sighting's progress), how far
/// it was and whether it played at the last sighting, and how long it has been listened to up to then.
/// </summary>
/// <param name="WatchSkips">It started fresh (from nothing or a pause) or replaced an item before that one's end: the member may be skipping.</param>
/// <param name="MissingSince">The first poll that saw nothing since the last sighting (a blip unless a second one agrees).</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Grains.LiveSighting")]
public sealed record LiveSighting(
    [property: Id(0)] string Key,
    [property: Id(1)] TrackInfo Track,
    [property: Id(2)] LiveKind Kind,
    [property: Id(3)] string? ContextUri,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset LastSeenAt,
    [property: Id(6)] long LastProgressMs,
    [property: Id(7)] bool LastPlaying,
    [property: Id(8)] bool SeenPlaying,
    [property: Id(9)] long ListenedMs,
    [property: Id(10)] bool WatchSkips,
    [property: Id(11)] DateTimeOffset? MissingSince,
    [property: Id(12)] DateTimeOffset? LastPlayingAt = null)
{
    /// <summary>When the item ends if it plays on from the last sighting (null: its duration is unknown).</summary>
    public DateTimeOffset? NaturalEnd => Track.DurationMs > 0 ? LastSeenAt.AddMilliseconds(Math.Max(0, Track.DurationMs - LastProgressMs)) : null;
}

/// <summary>
/// A play live progress saw end (replaced or stopped), not yet stored. Its end is known within
/// [<see cref="EndEarliest"/>, <see cref="EndLatest"/>] (one instant when the next item's progress told it);
/// <see cref="EndedAt"/> is the best estimate, <see cref="MsPlayed"/> the time it was listened to.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Grains.LiveEndedPlay")]
public sealed record LiveEndedPlay(
    [property: Id(0)] TrackInfo Track,
    [property: Id(1)] LiveKind Kind,
    [property: Id(2)] string? ContextUri,
    [property: Id(3)] DateTimeOffset StartedAt,
    [property: Id(4)] DateTimeOffset EndEarliest,
    [property: Id(5)] DateTimeOffset EndLatest,
    [property: Id(6)] DateTimeOffset EndedAt,
    [property: Id(7)] long MsPlayed)
{
    /// <summary>Whether recently-played may list it (a Spotify track): then it waits for a read after its end.</summary>
    public bool AwaitsHistory => Kind == LiveKind.Track;

    /// <summary>As a play to store from live progress alone (<see cref="PlaySource.Live"/>), at its estimated end.</summary>
    public PlayRecord ToLivePlay() => new(EndedAt, Track, MsPlayed, ContextUri, null, PlaySource.Live);
}

/// <summary>What one poll looked like to the capture (nothing playing: <see cref="LivePlayCapture.Observe"/> gets null).</summary>
/// <param name="Key">The <see cref="ItemKey"/> of the item.</param>
/// <param name="Track">The item as it would be stored; null for what is never recorded (ads, unknown items, items without a URI).</param>
public sealed record LiveObservation(string Key, TrackInfo? Track, LiveKind Kind, string? ContextUri, bool IsPlaying, long ProgressMs, bool PrivateSession);

/// <summary>What a poll changed: the plays that ended, and whether a skip chain (or a fresh start) is being watched.</summary>
public sealed record LiveCaptureStep(ImmutableArray<LiveEndedPlay> Ended, bool SkipDetected, bool FreshStart);

/// <summary>
/// Live capture: from the progress successive polls see, the plays recently-played never reports — skips (with the
/// real listening time), local files, podcast episodes, repeats of the same track — and the real <c>ms_played</c> of
/// those it does. Pure: the listener feeds it what each poll saw and each recently-played read, and stores what it
/// hands back; its state (the watched item, the ended plays not yet stored) lives in <see cref="ListenerState"/>, so a
/// restart between a sighting and its reconciliation loses nothing.
/// <para>Rules.</para>
/// <list type="bullet">
/// <item>A play needs evidence: the item seen playing, then replaced or stopped. An item only ever seen paused is no play.</item>
/// <item>Its end: when the next item replaced it, that item's start (its poll time minus its progress); when playback
/// stopped, somewhere between the last sighting and the poll that saw nothing (the natural end if it came first).</item>
/// <item>The same item with its progress fallen back more than <see cref="ItemKey.ReplayThresholdMs"/> behind where the
/// last poll predicts it, to where it could have started from 0 since the last poll (progress ≤ elapsed time + 2 s), started over: a repeat (Spotify's "previous"
/// restarts the track too, and Spotify counts that as another play). Fallen back less far, it is a seek back within the
/// same play: nothing ends, the listening time goes on.</item>
/// <item>One poll that sees nothing after a sighting is a blip (Spotify answers 204 now and then mid-play) until a
/// second poll agrees or another item shows.</item>
/// <item>A private session records nothing: it is seen as nothing playing.</item>
/// <item>Episodes and local files are stored once they ended (recently-played never lists them). A Spotify track waits
/// for a recently-played read at least <see cref="ListenerOptions.HistorySettle"/> after its end: the entry of the same
/// track whose <c>played_at</c> (the end of the play) lies within <see cref="MatchTolerance"/> of its end window is that
/// play (it gets the live <c>ms_played</c>); unlisted, it is stored as a live play (a skip when under 30 s).</item>
/// </list>
/// </summary>
public sealed class LivePlayCapture(ListenerState state, ListenerOptions options)
{
    /// <summary>
    /// How far a recently-played <c>played_at</c> may lie from a live end and still be that play. The live end comes from
    /// progress, which Spotify reports to the millisecond, and the time of the poll, late by the request's latency (well
    /// under 2 s); <c>played_at</c> is "about" the end. 15 s covers both many times over and is half the 30 s that
    /// separate the ends of two listed plays of one track, so no entry can match two plays.
    /// </summary>
    public static readonly TimeSpan MatchTolerance = TimeSpan.FromSeconds(15);

    /// <summary>A track replaced this long or more before its natural end was skipped, not played out.</summary>
    private const long EarlyReplacementMs = 3_000;

    /// <summary>The item being watched, if any.</summary>
    public LiveSighting? Current => state.LiveCurrent;

    /// <summary>Ended plays not stored yet (Spotify tracks awaiting a recently-played read; episodes and local files about to be stored).</summary>
    public IReadOnlyList<LiveEndedPlay> Pending => state.LivePending;

    /// <summary>Takes in what a poll saw at <paramref name="now"/> (null: nothing playing). Ended plays join <see cref="Pending"/>.</summary>
    public LiveCaptureStep Observe(LiveObservation? observation, DateTimeOffset now)
    {
        var ended = ImmutableArray.CreateBuilder<LiveEndedPlay>();
        var skip = false;
        var fresh = false;
        var current = state.LiveCurrent;
        if (observation is { PrivateSession: true })
        {
            // A private session records nothing: the watched item ends where it was last seen (if it was a play).
            observation = null;
        }

        if (observation is null || observation.Track is null)
        {
            if (current is not null)
            {
                if (current.MissingSince is null && observation is null)
                {
                    // A blip until a second poll agrees.
                    state.LiveCurrent = current with { MissingSince = now };
                }
                else
                {
                    End(current, Stopped(current, current.MissingSince ?? now), ended);
                    state.LiveCurrent = null;
                }
            }

            return Done(ended, skip, fresh);
        }

        var progress = Math.Max(0, observation.ProgressMs);
        if (current is not null && current.Key == observation.Key)
        {
            var elapsed = (long)(now - current.LastSeenAt).TotalMilliseconds;
            var fellBack = progress + ItemKey.ReplayThresholdMs < current.LastProgressMs;
            var restarted = observation.IsPlaying && ItemKey.StartedOver(current.LastProgressMs, current.LastPlaying, elapsed, progress);
            if (!restarted)
            {
                // The same play goes on (a pause, a resume, a seek either way): its listening time grows by what could
                // have been heard since the last sighting.
                state.LiveCurrent = current with
                {
                    LastPlayingAt = observation.IsPlaying ? now : current.LastPlayingAt ?? (current.LastPlaying ? current.LastSeenAt : null),
                    LastSeenAt = now,
                    LastProgressMs = progress,
                    LastPlaying = observation.IsPlaying,
                    SeenPlaying = current.SeenPlaying || observation.IsPlaying,
                    ListenedMs = current.ListenedMs + Heard(current, progress, elapsed, fellBack || progress > current.LastProgressMs + elapsed + LiveStateTracker.ProgressJumpMs),
                    MissingSince = null,
                };
                return Done(ended, skip, fresh);
            }

            // A repeat: the play ended where this one started.
            var restartAt = Clamp(now.AddMilliseconds(-progress), current.LastSeenAt, now);
            End(current, Replaced(current, restartAt), ended);
            skip = restartAt < current.NaturalEnd?.AddMilliseconds(-EarlyReplacementMs);
            state.LiveCurrent = Start(observation, now, progress, watchSkips: skip);
            return Done(ended, skip, fresh);
        }

        // Another item (or the first one): the watched one, if any, ended where this one started.
        if (current is not null)
        {
            var replacedAt = Clamp(now.AddMilliseconds(-progress), current.LastSeenAt, now);
            var end = observation.IsPlaying ? Replaced(current, replacedAt) : Stopped(current, replacedAt);
            End(current, end, ended);
            skip = current.LastPlaying && current.MissingSince is null && replacedAt < current.NaturalEnd?.AddMilliseconds(-EarlyReplacementMs);
        }
        else
        {
            fresh = observation.IsPlaying;
        }

        state.LiveCurrent = Start(observation, now, progress, watchSkips: skip || fresh);
        return Done(ended, skip, fresh);
    }

    /// <summary>
    /// Episodes and local files that ended: stored at once (recently-played never lists them). The caller removes
    /// them with <see cref="Stored"/> once committed.
    /// </summary>
    public ImmutableArray<LiveEndedPlay> ReadyWithoutHistory() => [.. state.LivePending.Where(p => !p.AwaitsHistory)];

    /// <summary>
    /// Reconciles the ended tracks with a recently-played read at <paramref name="readAt"/> whose track plays are
    /// <paramref name="listed"/>. Returns the listed plays to store (those live progress saw carry its <c>ms_played</c>)
    /// and the ended plays this settles: matched ones, and those the read should have listed but did not (stored live,
    /// see <see cref="LiveEndedPlay.ToLivePlay"/>). Ended plays the read came too early for stay pending.
    /// </summary>
    public HistoryReconciliation Reconcile(IReadOnlyList<PlayRecord> listed, DateTimeOffset readAt)
    {
        var plays = listed.ToArray();
        var used = new bool[plays.Length];
        var settled = ImmutableArray.CreateBuilder<LiveEndedPlay>();
        var live = ImmutableArray.CreateBuilder<PlayRecord>();
        foreach (var ended in state.LivePending.Where(p => p.AwaitsHistory).OrderBy(p => p.EndedAt))
        {
            var match = -1;
            for (var i = 0; i < plays.Length; i++)
            {
                if (used[i] || plays[i].Track.Uri != ended.Track.Uri
                    || plays[i].PlayedAt < ended.EndEarliest - MatchTolerance || plays[i].PlayedAt > ended.EndLatest + MatchTolerance)
                {
                    continue;
                }

                if (match < 0 || Distance(plays[i], ended) < Distance(plays[match], ended))
                {
                    match = i;
                }
            }

            if (match >= 0)
            {
                used[match] = true;
                plays[match] = plays[match] with { MsPlayed = ended.MsPlayed };
                settled.Add(ended);
            }
            else if (readAt >= ended.EndLatest + options.HistorySettle)
            {
                live.Add(ended.ToLivePlay());
                settled.Add(ended);
            }
        }

        return new HistoryReconciliation([.. plays], live.ToImmutable(), settled.ToImmutable());
    }

    /// <summary>The ended plays are committed (or settled into listed plays that are): they leave <see cref="Pending"/>.</summary>
    public void Stored(IEnumerable<LiveEndedPlay> plays)
    {
        var gone = plays.ToHashSet();
        if (gone.Count > 0)
        {
            state.LivePending = [.. state.LivePending.Where(p => !gone.Contains(p))];
        }
    }

    /// <summary>When the first ended track becomes settled (a read then decides it); null when none waits.</summary>
    public DateTimeOffset? SettledAt() =>
        state.LivePending.Where(p => p.AwaitsHistory).Select(p => (DateTimeOffset?)(p.EndLatest + options.HistorySettle)).Min();

    /// <summary>The observation of what a poll saw; null when nothing is loaded.</summary>
    public static LiveObservation? ToObservation(NowPlaying? item, TrackInfo? track, bool privateSession)
    {
        if (item is null)
        {
            return null;
        }

        var kind = item.ItemType == "episode" ? LiveKind.Episode : item.IsLocal ? LiveKind.LocalFile : LiveKind.Track;
        var recordable = track is not null && item.ItemType is "track" or "episode" && !string.IsNullOrEmpty(item.Uri);
        return new LiveObservation(ItemKey.Of(item).Value, recordable ? track : null, kind, item.ContextUri, item.IsPlaying, item.ProgressMs ?? 0, privateSession);
    }

    private static double Distance(PlayRecord play, LiveEndedPlay ended) => Math.Abs((play.PlayedAt - ended.EndedAt).TotalMilliseconds);

    private LiveCaptureStep Done(ImmutableArray<LiveEndedPlay>.Builder ended, bool skip, bool fresh)
    {
        if (ended.Count > 0)
        {
            state.LivePending = [.. state.LivePending, .. ended];
            state.PlaysEndedSinceHistory += ended.Count(p => p.AwaitsHistory);
        }

        return new LiveCaptureStep(ended.ToImmutable(), skip, fresh);
    }

    private LiveSighting Start(LiveObservation observation, DateTimeOffset now, long progress, bool watchSkips) => new(
        observation.Key,
        observation.Track!,
        observation.Kind,
        observation.ContextUri,
        now.AddMilliseconds(-progress),
        now,
        progress,
        observation.IsPlaying,
        observation.IsPlaying,
        // Seen first at this progress: heard from its start (a skip's real ms_played is start to replacement).
        observation.IsPlaying ? progress : 0,
        watchSkips && observation.IsPlaying,
        null,
        observation.IsPlaying ? now : null);

    /// <summary>What could have been heard between the last sighting and this one of the same play.</summary>
    private static long Heard(LiveSighting before, long progress, long elapsed, bool sought)
    {
        if (elapsed <= 0)
        {
            return 0;
        }

        if (!before.LastPlaying)
        {
            // Resumed at some point since: at most what the progress moved.
            return Math.Clamp(progress - before.LastProgressMs, 0, elapsed);
        }

        // Playing on: the time passed, unless the progress says a pause held part of it (a seek says nothing of that).
        return sought ? elapsed : Math.Clamp(progress - before.LastProgressMs, 0, elapsed);
    }

    /// <summary>
    /// The next item started at <paramref name="at"/>. When the watched one was playing and would have ended before
    /// that (polls failed or were far apart), items may have played unseen in between: it ended at its natural end,
    /// or earlier, not at <paramref name="at"/>.
    /// </summary>
    private static (DateTimeOffset Earliest, DateTimeOffset Latest, DateTimeOffset Best, long Ms) Replaced(LiveSighting current, DateTimeOffset at)
    {
        var heard = current.LastPlaying ? (long)(at - current.LastSeenAt).TotalMilliseconds : 0;
        if (current.Track.DurationMs > 0)
        {
            heard = Math.Min(heard, Math.Max(0, current.Track.DurationMs - current.LastProgressMs));
        }

        if (current.LastPlaying && current.NaturalEnd is { } natural && natural < at - MatchTolerance)
        {
            return (current.LastSeenAt, natural, natural, current.ListenedMs + Math.Max(0, heard));
        }

        if (!current.LastPlaying)
        {
            // Paused at the last sighting: it ended at the pause (skipped while paused) or after an unseen resume.
            return (PausedFrom(current), at, at, current.ListenedMs);
        }

        return (at, at, at, current.ListenedMs + Math.Max(0, heard));
    }

    /// <summary>Playback stopped (or the item was replaced by one not playing) at some point before <paramref name="seenGoneAt"/>.</summary>
    private static (DateTimeOffset Earliest, DateTimeOffset Latest, DateTimeOffset Best, long Ms) Stopped(LiveSighting current, DateTimeOffset seenGoneAt)
    {
        if (!current.LastPlaying)
        {
            // Paused, then gone: the listening ended at the pause, which its listening time dates (start + time heard).
            var pausedFrom = PausedFrom(current);
            var paused = Clamp(current.StartedAt.AddMilliseconds(current.ListenedMs), pausedFrom, seenGoneAt);
            return (pausedFrom, seenGoneAt, paused, current.ListenedMs);
        }

        var latest = current.NaturalEnd is { } natural && natural < seenGoneAt ? natural : seenGoneAt;
        return (current.LastSeenAt, latest, latest, current.ListenedMs + (long)(latest - current.LastSeenAt).TotalMilliseconds);
    }

    private static void End(LiveSighting current, (DateTimeOffset Earliest, DateTimeOffset Latest, DateTimeOffset Best, long Ms) end, ImmutableArray<LiveEndedPlay>.Builder ended)
    {
        if (!current.SeenPlaying)
        {
            return;
        }

        ended.Add(new LiveEndedPlay(current.Track, current.Kind, current.ContextUri, current.StartedAt, end.Earliest, end.Latest, end.Best, end.Ms));
    }

    /// <summary>The earliest the pause of a sighting last seen paused can have begun: the last poll that saw it playing.</summary>
    private static DateTimeOffset PausedFrom(LiveSighting current) => current.LastPlayingAt ?? current.StartedAt;

    private static DateTimeOffset Clamp(DateTimeOffset value, DateTimeOffset min, DateTimeOffset max) => value < min ? min : value > max ? max : value;
}

/// <summary>
/// A recently-played read reconciled with live capture: <see cref="Listed"/> (the read's plays, with live
/// <c>ms_played</c> where it saw them), <see cref="Live"/> (ended plays the read did not list), and the ended plays
/// both settle (<see cref="Settled"/>: to remove from pending once stored).
/// </summary>
public sealed record HistoryReconciliation(ImmutableArray<PlayRecord> Listed, ImmutableArray<PlayRecord> Live, ImmutableArray<LiveEndedPlay> Settled);
