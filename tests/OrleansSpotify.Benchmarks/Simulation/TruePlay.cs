using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Benchmarks.Simulation;

/// <summary>What a play is, for the scorer.</summary>
public enum PlayKind
{
    /// <summary>A Spotify track played 30 s or more.</summary>
    Music,

    /// <summary>A Spotify track played less than 30 s.</summary>
    Skip,

    /// <summary>A podcast episode (never in recently-played).</summary>
    Episode,

    /// <summary>A local file (never in recently-played).</summary>
    Local,

    /// <summary>Anything played in a private session: no tracker may record it.</summary>
    Private,
}

/// <summary>
/// One play of the generated week with its ground truth: the <see cref="ScriptedPlay"/> the fake Spotify serves,
/// what kind of play it is, how long it really played, whether it reached the item's end, and whether any API can
/// ever return it.
/// </summary>
public sealed record TruePlay(int Member, ScriptedPlay Script, PlayKind Kind, TimeSpan MsPlayed, bool NaturalEnd)
{
    public DateTimeOffset Start => Script.StartedAt;

    public DateTimeOffset End => Script.EndedAt;

    public string ItemUri => SimulatedItems.Uri(Script.Item);

    public bool Offline => Script.Offline;

    /// <summary>Whether recently-played lists it at some point (a track, not private, 30 s or more of wall time).</summary>
    public bool Listable => Script.Item is FakeTrack && !Script.PrivateSession && Script.PausedAt is null && Script.Played >= TimeSpan.FromSeconds(30);

    /// <summary>When recently-played starts listing it (its end, or the offline device's return).</summary>
    public DateTimeOffset VisibleAt => Script.VisibleFrom is { } from && from > End ? from : End;

    /// <summary>Listable, but pushed out of the 50 items recently-played keeps before any read could see it: lost in a real gap.</summary>
    public bool LostInGap { get; set; }

    /// <summary>
    /// No API can ever return it: private, lost in a real gap, or played offline and not listable (an offline skip,
    /// episode or local file). Excluded from recall and counted apart.
    /// </summary>
    public bool Unreachable => Kind == PlayKind.Private || LostInGap || (Offline && !Listable);
}

/// <summary>The URIs the scorer matches on, as Spotify's responses carry them.</summary>
public static class SimulatedItems
{
    public static string Uri(FakeItem item) => item switch
    {
        FakeTrack track => track.Uri,
        FakeEpisode episode => episode.Uri,
        FakeLocalTrack local => local.Uri,
        _ => "spotify:unknown:" + item.Name,
    };
}

/// <summary>A window in which listable plays were lost (more than 50 piled up between two moments a read was possible).</summary>
public sealed record RealGap(int Member, DateTimeOffset From, DateTimeOffset To, int LostPlays);

/// <summary>An hour the tracker is down: no strategy polls.</summary>
public sealed record Outage(DateTimeOffset From, DateTimeOffset To)
{
    public bool Contains(DateTimeOffset at) => at >= From && at < To;
}

/// <summary>The generated week: the members' plays (start order), the outages and the real gaps.</summary>
public sealed record SimulatedWeek(
    int Seed,
    FakeCatalog Catalog,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<string> Members,
    IReadOnlyList<TruePlay> Plays,
    IReadOnlyList<Outage> Outages,
    IReadOnlyList<RealGap> Gaps)
{
    public double Days => (End - Start).TotalDays;

    public IEnumerable<TruePlay> PlaysOf(int member) => Plays.Where(p => p.Member == member);
}
