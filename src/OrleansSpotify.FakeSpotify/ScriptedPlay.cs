namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// One play on a user's timeline. It is "currently playing" during [<see cref="StartedAt"/>, <see cref="EndedAt"/>)
/// and enters recently-played with <c>played_at</c> = <see cref="EndedAt"/>. <see cref="VisibleFrom"/> overrides
/// when it becomes visible there (backfilled offline plays). With <see cref="PausedAt"/> the stretch is a pause:
/// currently-playing reports the item paused at that progress throughout, and it never enters recently-played.
/// <see cref="Seeks"/> and <see cref="Pauses"/> happen inside the play (offsets in wall time from
/// <see cref="StartedAt"/>): the reported progress jumps, or stays still with <c>is_playing:false</c>, and the play is
/// still one play. An <see cref="Offline"/> play happened on a device without a connection: the player endpoints never
/// report it, and recently-played lists it once it becomes visible (set <see cref="VisibleFrom"/>: the device's return).
/// </summary>
public sealed record ScriptedPlay(
    DateTimeOffset StartedAt,
    FakeItem Item,
    TimeSpan Played,
    string? ContextUri = null,
    bool PrivateSession = false,
    DateTimeOffset? VisibleFrom = null,
    TimeSpan? PausedAt = null)
{
    public DateTimeOffset EndedAt => StartedAt + Played;

    /// <summary>Jumps of the progress during the play, in wall-time order.</summary>
    public IReadOnlyList<ScriptedSeek> Seeks { get; init; } = [];

    /// <summary>Pauses during the play (the progress stands still), in wall-time order, not overlapping.</summary>
    public IReadOnlyList<ScriptedPause> Pauses { get; init; } = [];

    /// <summary>Played on an offline device: never reported as playing, listed by recently-played from <see cref="VisibleFrom"/>.</summary>
    public bool Offline { get; init; }

    /// <summary>
    /// The progress into the item and whether it plays, <paramref name="elapsed"/> after <see cref="StartedAt"/>:
    /// the wall time minus the pauses, moved by the seeks made so far.
    /// </summary>
    public (TimeSpan Progress, bool Playing) ProgressAfter(TimeSpan elapsed)
    {
        if (PausedAt is { } paused)
        {
            return (paused, false);
        }

        var progress = TimeSpan.Zero;
        var at = TimeSpan.Zero;
        var seek = 0;
        var pause = 0;
        while (true)
        {
            var nextSeek = seek < Seeks.Count ? Seeks[seek].At : TimeSpan.MaxValue;
            var nextPause = pause < Pauses.Count ? Pauses[pause].At : TimeSpan.MaxValue;
            var next = nextSeek < nextPause ? nextSeek : nextPause;
            if (next > elapsed)
            {
                return (progress + (elapsed - at), true);
            }

            progress += next - at;
            at = next;
            if (nextSeek <= nextPause)
            {
                progress = Seeks[seek++].To;
                continue;
            }

            var length = Pauses[pause++].Length;
            if (elapsed < at + length)
            {
                return (progress, false);
            }

            at += length;
        }
    }
}

/// <summary>At <paramref name="At"/> (wall time into the play) the listener moves the progress to <paramref name="To"/>.</summary>
public sealed record ScriptedSeek(TimeSpan At, TimeSpan To);

/// <summary>At <paramref name="At"/> (wall time into the play) the listener pauses for <paramref name="Length"/>.</summary>
public sealed record ScriptedPause(TimeSpan At, TimeSpan Length);
