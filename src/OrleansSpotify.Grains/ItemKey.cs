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

    /// <summary>Slack for the poll's latency when deciding whether a progress could have started from 0 since the last poll.</summary>
    public const long RestartSlackMs = 2_000;

    /// <summary>Whether the same item started over: its progress is far behind where it was.</summary>
    public static bool Restarted(long? previousProgressMs, long? progressMs) => progressMs + ReplayThresholdMs < previousProgressMs;

    /// <summary>
    /// Whether the same item started over between two polls <paramref name="elapsedMs"/> apart: its progress fell more
    /// than <see cref="ReplayThresholdMs"/> behind where the last poll predicts it (the last progress, plus the time
    /// passed if it was playing), to where it could have started from 0 since then (progress ≤ elapsed + slack).
    /// Fallen back less far it is a seek back within the same play (polls far apart would otherwise miss a repeat
    /// whose progress is past the last one's).
    /// </summary>
    public static bool StartedOver(long? previousProgressMs, bool previousPlaying, long elapsedMs, long? progressMs)
    {
        if (previousProgressMs is not { } before || progressMs is not { } progress)
        {
            return false;
        }

        var predicted = before + (previousPlaying ? Math.Max(0, elapsedMs) : 0);
        return progress + ReplayThresholdMs < predicted && progress <= Math.Max(0, elapsedMs) + RestartSlackMs;
    }

    public override string ToString() => Value;
}
