namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// One play on a user's timeline. It is "currently playing" during [<see cref="StartedAt"/>, <see cref="EndedAt"/>)
/// and enters recently-played with <c>played_at</c> = <see cref="EndedAt"/>. <see cref="VisibleFrom"/> overrides
/// when it becomes visible there (backfilled offline plays).
/// </summary>
public sealed record ScriptedPlay(
    DateTimeOffset StartedAt,
    FakeItem Item,
    TimeSpan Played,
    string? ContextUri = null,
    bool PrivateSession = false,
    DateTimeOffset? VisibleFrom = null)
{
    public DateTimeOffset EndedAt => StartedAt + Played;
}
