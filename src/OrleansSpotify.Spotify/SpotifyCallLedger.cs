using OrleansSpotify.Spotify.Http;

namespace OrleansSpotify.Spotify;

/// <summary>Calls counted in one minute for one account, endpoint and outcome.</summary>
/// <param name="Minute">The start of the minute (UTC) the calls were sent in.</param>
public readonly record struct SpotifyCallCount(DateTimeOffset Minute, string Account, string Endpoint, string Outcome, int Count)
{
    /// <summary>Web API calls count against the quota; token-endpoint calls do not.</summary>
    public bool CountsAgainstQuota => SpotifyEndpoints.CountsAgainstQuota(Endpoint);
}

/// <summary>
/// The process's (silo's) tally of Spotify calls not yet handed to the quota governor: the call counter records every
/// attempt here, synchronously, the moment it ends; the governor drains it (when a listener asks for its budget, and
/// periodically). A singleton, thread-safe; draining takes everything recorded so far exactly once.
/// </summary>
public sealed class SpotifyCallLedger
{
    private readonly Lock _lock = new();
    private Dictionary<(DateTimeOffset Minute, string Account, string Endpoint, string Outcome), int> _pending = [];

    /// <summary>True while something recorded has not been drained.</summary>
    public bool HasPending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>Counts one call sent at <paramref name="at"/>.</summary>
    public void Record(DateTimeOffset at, string account, string endpoint, string outcome)
    {
        var utc = at.ToUniversalTime();
        var minute = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
        lock (_lock)
        {
            var key = (minute, account, endpoint, outcome);
            _pending[key] = _pending.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Everything recorded since the last drain (oldest minute first); the ledger is empty afterwards.</summary>
    public IReadOnlyList<SpotifyCallCount> Drain()
    {
        Dictionary<(DateTimeOffset Minute, string Account, string Endpoint, string Outcome), int> taken;
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                return [];
            }

            taken = _pending;
            _pending = [];
        }

        return [.. taken.Select(p => new SpotifyCallCount(p.Key.Minute, p.Key.Account, p.Key.Endpoint, p.Key.Outcome, p.Value)).OrderBy(c => c.Minute)];
    }

    /// <summary>Puts drained counts back (the governor could not keep them: they are handed over again next time).</summary>
    public void Restore(IEnumerable<SpotifyCallCount> counts)
    {
        lock (_lock)
        {
            foreach (var count in counts)
            {
                var key = (count.Minute, count.Account, count.Endpoint, count.Outcome);
                _pending[key] = _pending.GetValueOrDefault(key) + count.Count;
            }
        }
    }
}
