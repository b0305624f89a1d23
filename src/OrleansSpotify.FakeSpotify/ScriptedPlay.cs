namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// One play on a user's timeline. It is "currently playing" during [<see cref="StartedAt"/>, <see cref="EndedAt"/>)
/// and enters recently-played with <c>played_at</c> = <see cref="EndedAt"/>. <see cref="VisibleFrom"/> overrides
/// when it becomes visible there (backfilled offline plays). With <see cref="PausedAt"/> the stretch is a pause:
/// currently-playing reports the item paused at that progress throughout, and it never enters recently-played.
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
}
