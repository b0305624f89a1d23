using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Grains.Tests;

/// <summary>Builds listening timelines for the fake Spotify and says which plays must end up stored.</summary>
internal sealed class Script(FakeUser user)
{
    private readonly List<ScriptedPlay> _plays = [];

    public FakeUser User { get; } = user;

    public IReadOnlyList<ScriptedPlay> Plays => _plays;

    /// <summary>Back-to-back full plays of <paramref name="items"/> starting at <paramref name="start"/>; returns the end.</summary>
    public DateTimeOffset Session(DateTimeOffset start, IEnumerable<FakeItem> items, string? context = null, bool privateSession = false, DateTimeOffset? visibleFrom = null)
    {
        var at = start;
        foreach (var item in items)
        {
            at = Add(at, item, item.Duration, context, privateSession, visibleFrom);
        }

        return at;
    }

    /// <summary>A play of <paramref name="played"/> (a skip when shorter than the item); returns its end.</summary>
    public DateTimeOffset Add(DateTimeOffset start, FakeItem item, TimeSpan played, string? context = null, bool privateSession = false, DateTimeOffset? visibleFrom = null)
    {
        var play = new ScriptedPlay(start, item, played, context, privateSession, visibleFrom);
        _plays.Add(play);
        User.AddPlay(play);
        return play.EndedAt;
    }

    /// <summary>
    /// What recently-played reports and so what must be stored: tracks (not episodes, ads or local files) played
    /// for at least 30 s outside a private session, identified by (end time, track URI), oldest first.
    /// </summary>
    public IReadOnlyList<(DateTimeOffset PlayedAt, string Uri)> Expected(DateTimeOffset visibleBy) =>
        [.. _plays
            .Where(p => p.Item is FakeTrack && p.Played >= TimeSpan.FromSeconds(30) && !p.PrivateSession)
            .Where(p => (p.VisibleFrom ?? p.EndedAt) <= visibleBy)
            .OrderBy(p => p.EndedAt)
            .Select(p => (p.EndedAt, ((FakeTrack)p.Item).Uri))];

    /// <summary>
    /// <see cref="Expected(DateTimeOffset)"/> and what live capture adds, ended by <paramref name="visibleBy"/>: skips of
    /// tracks (under 30 s), podcast episodes and local files, outside private sessions (ads are never plays). Their end is
    /// exact: the fake's progress is to the millisecond and the polls run on the fake clock.
    /// </summary>
    public IReadOnlyList<(DateTimeOffset PlayedAt, string Uri)> ExpectedWithLive(DateTimeOffset visibleBy) =>
        [.. Expected(visibleBy)
            .Concat(_plays
                .Where(p => !p.PrivateSession && p.EndedAt <= visibleBy)
                .Where(p => p.Item is FakeEpisode or FakeLocalTrack || (p.Item is FakeTrack && p.Played < TimeSpan.FromSeconds(30)))
                .Select(p => (p.EndedAt, Uri(p.Item))))
            .OrderBy(p => p.Item1)];

    private static string Uri(FakeItem item) => item switch
    {
        FakeTrack track => track.Uri,
        FakeEpisode episode => episode.Uri,
        FakeLocalTrack local => local.Uri,
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "never a play"),
    };
}
