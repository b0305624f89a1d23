using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>
/// The playing/paused/idle state machine of one account, fed by its listener's polls. It keeps the state in memory
/// only (after a reactivation the account starts idle and the first poll brings it up to date) and says when a poll
/// changed it enough to announce: another item, playing/paused/idle, or a progress more than
/// <see cref="ProgressJumpMs"/> away from what the time since the last poll predicts. Spotify now and then answers
/// "nothing" in the middle of playback, so a poll that sees nothing makes the account idle only when a second one agrees
/// (or at once when it is certain: stopped, signed out). Not thread-safe: it lives inside one grain activation.
/// </summary>
public sealed class LiveStateTracker(string accountKey)
{
    /// <summary>A progress further than this from what elapsed time predicts is a seek: announced like a change.</summary>
    public const long ProgressJumpMs = 3_000;

    private LiveState? _live;
    private DateTimeOffset? _lastSeenPlaying;
    private ItemKey? _playingKey;
    private DateTimeOffset? _playingSince;
    private bool _emptyOnce;

    /// <summary>
    /// Whether an idle state needs the time of the account's latest recorded play for its "since": only until the
    /// account has been seen playing.
    /// </summary>
    public bool NeedsLatestPlay => _lastSeenPlaying is null;

    /// <summary>
    /// The current state. Idle is "since" the account was last seen playing, else <paramref name="latestPlayAt"/>
    /// (worked out on each call: plays committed after the last poll may have moved it).
    /// </summary>
    public LiveState Current(DateTimeOffset? latestPlayAt) =>
        _live is { State: not PlaybackState.Idle } live ? live : Idle(latestPlayAt);

    /// <summary>
    /// Takes in what a poll saw at <paramref name="now"/> (<paramref name="item"/> null: nothing, or nothing loaded).
    /// Returns the new state when it is to be announced, null when nothing worth announcing changed.
    /// <paramref name="immediate"/>: idle for certain (stopped, signed out), not a poll that may have caught a blip.
    /// </summary>
    public LiveState? Observe(NowPlaying? item, DateTimeOffset now, DateTimeOffset? latestPlayAt, bool immediate = false)
    {
        var previous = _live ?? Idle(null);
        if (item is null && !immediate && previous.State != PlaybackState.Idle && !_emptyOnce)
        {
            // A blip neither flickers every screen nor restarts the track's "since".
            _emptyOnce = true;
            return null;
        }

        _emptyOnce = false;
        var state = item is null ? PlaybackState.Idle : item.IsPlaying ? PlaybackState.Playing : PlaybackState.Paused;
        var sameItem = previous.Item is { } before && item is not null && ItemKey.Of(before) == ItemKey.Of(item);
        var jumped = sameItem && ProgressJumped(previous, item!, now);
        DateTimeOffset? since;
        switch (state)
        {
            case PlaybackState.Playing:
                // Another item, or a replay of the same one, starts a new "since"; a pause and resume of the same item keeps it.
                var key = ItemKey.Of(item!);
                var restarted = sameItem && ItemKey.StartedOver(
                    previous.Item!.ProgressMs, previous.State == PlaybackState.Playing, (long)(now - previous.Item.ObservedAt).TotalMilliseconds, item!.ProgressMs);
                if (_playingSince is null || _playingKey != key || restarted)
                {
                    _playingKey = key;
                    _playingSince = now;
                }

                since = _playingSince;
                _lastSeenPlaying = now;
                break;
            case PlaybackState.Paused:
                since = sameItem && previous.State == PlaybackState.Paused ? previous.Since : now;
                break;
            default:
                _playingKey = null;
                _playingSince = null;
                since = _lastSeenPlaying ?? latestPlayAt;
                break;
        }

        var live = new LiveState(accountKey, state, since, item);
        _live = live;
        return state != previous.State || (!sameItem && state != PlaybackState.Idle) || jumped ? live : null;
    }

    private static bool ProgressJumped(LiveState previous, NowPlaying item, DateTimeOffset now)
    {
        if (previous.Item?.ProgressMs is not { } before || item.ProgressMs is not { } progress)
        {
            return false;
        }

        var elapsed = previous.State == PlaybackState.Playing ? (long)(now - previous.Item.ObservedAt).TotalMilliseconds : 0;
        return Math.Abs(progress - (before + elapsed)) > ProgressJumpMs;
    }

    private LiveState Idle(DateTimeOffset? latestPlayAt) => new(accountKey, PlaybackState.Idle, _lastSeenPlaying ?? latestPlayAt, null);
}
