using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>
/// What makes two polls see "the same item": its URI, else its name (local files have no URI), else its type (ads and
/// unknown items have neither). The one definition used by the <see cref="LiveStateTracker"/> and by the listener's
/// decision to re-read recently-played; <see cref="ListenerState.LastTrackId"/> persists its <see cref="Value"/>.
/// </summary>
public readonly record struct ItemKey(string Value)
{
    /// <summary>Progress this far behind the last seen progress of the same item is a replay from the start, not a seek.</summary>
    public const long ReplayThresholdMs = 5_000;

    public static ItemKey Of(NowPlaying item) => new(item.Uri ?? item.Name ?? item.ItemType);

    /// <summary>Whether the same item started over: its progress is far behind where it was.</summary>
    public static bool Restarted(long? previousProgressMs, long? progressMs) => progressMs + ReplayThresholdMs < previousProgressMs;

    public override string ToString() => Value;
}
