namespace OrleansSpotify.Abstractions;

/// <summary>Whether an account is playing, paused or idle, as its listener's last poll saw it.</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.PlaybackState")]
public enum PlaybackState
{
    /// <summary>Nothing to show: Spotify reports nothing, or the listener does not poll.</summary>
    Idle = 0,

    Playing = 1,

    /// <summary>An item is loaded but not playing.</summary>
    Paused = 2,
}

/// <summary>
/// An account's live state for the household overview, the embed card and the hub's <c>nowPlaying</c>.
/// </summary>
/// <param name="Since">
/// Playing: when this item was first seen playing. Paused: when the pause was first seen. Idle: when the account
/// was last seen playing, else the time of its latest recorded play, else null.
/// </param>
/// <param name="Item">What plays or is paused; null when idle.</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.LiveState")]
public sealed record LiveState(
    [property: Id(0)] string AccountKey,
    [property: Id(1)] PlaybackState State,
    [property: Id(2)] DateTimeOffset? Since,
    [property: Id(3)] NowPlaying? Item);
