using System.Collections.Concurrent;

namespace OrleansSpotify.Spotify.Tests.Infrastructure;

/// <summary>A rate-limit store that remembers what was saved and counts loads (a stand-in for the host's SQLite store).</summary>
internal sealed class RecordingRateLimitStore(DateTimeOffset? initial = null) : ISpotifyRateLimitStore
{
    private readonly ConcurrentQueue<(DateTimeOffset NotBefore, string Reason)> _saves = new();
    private DateTimeOffset? _notBefore = initial;
    private int _loads;

    public int Loads => _loads;

    public IReadOnlyList<(DateTimeOffset NotBefore, string Reason)> Saves => [.. _saves];

    public DateTimeOffset? Load()
    {
        Interlocked.Increment(ref _loads);
        return _notBefore;
    }

    public void Save(DateTimeOffset notBefore, string reason)
    {
        _notBefore = notBefore;
        _saves.Enqueue((notBefore, reason));
    }
}
