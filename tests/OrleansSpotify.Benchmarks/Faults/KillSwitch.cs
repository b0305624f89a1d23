using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>A SIGKILL that fired: which answer it followed, and when.</summary>
/// <param name="NewPlays">The plays of that answer no earlier answer carried: (played_at in Unix ms, track URI).</param>
public sealed record KillEvent(string UserId, IReadOnlyList<(long PlayedAtMs, string Uri)> NewPlays, DateTimeOffset FakeAt, double RealAt, bool Forced)
{
    /// <summary>How many of <see cref="NewPlays"/> were in the database when the Host died; null when it could not be read.</summary>
    public int? StoredBeforeKill { get; set; }
}

/// <summary>
/// Watches the fake's recently-played answers. Armed, it kills the Host with SIGKILL the moment a recently-played
/// answer carries plays no earlier answer did (so those plays are on their way to the database), from inside the
/// fake's request logging, right after the answer was written.
/// </summary>
public sealed class KillSwitch(IReadOnlyDictionary<string, FakeUser> users)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _newestServed = new(StringComparer.Ordinal);
    private HostProcess? _armed;
    private TaskCompletionSource<KillEvent>? _fired;

    /// <summary>Kills <paramref name="host"/> at the next recently-played answer with new plays.</summary>
    public Task<KillEvent> Arm(HostProcess host)
    {
        lock (_lock)
        {
            _armed = host;
            _fired = new TaskCompletionSource<KillEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _fired.Task;
        }
    }

    /// <summary>Kills the armed Host now (no answer with new plays came in time); null when it had already fired.</summary>
    public KillEvent? Force(DateTimeOffset fakeNow, double realNow)
    {
        lock (_lock)
        {
            if (_armed is not { } host)
            {
                return null;
            }

            host.Kill();
            var forced = new KillEvent("-", [], fakeNow, realNow, Forced: true);
            Fire(forced);
            return forced;
        }
    }

    public void OnRequest(LoggedRequest logged)
    {
        var request = logged.Request;
        if (request is not { Endpoint: "recently-played", StatusCode: 200, Fault: null, UserId: { } userId }
            || !users.TryGetValue(userId, out var user))
        {
            return;
        }

        var visible = user.VisibleHistory(request.At);
        lock (_lock)
        {
            var newestBefore = _newestServed.GetValueOrDefault(userId, DateTimeOffset.MinValue);
            var fresh = visible.TakeWhile(p => p.EndedAt > newestBefore).ToList();
            if (fresh.Count == 0)
            {
                return;
            }

            _newestServed[userId] = visible[0].EndedAt;
            if (_armed is { } host)
            {
                host.Kill();
                var plays = fresh.Select(p => (p.EndedAt.ToUnixTimeMilliseconds(), ((FakeTrack)p.Item).Uri)).ToList();
                Fire(new KillEvent(userId, plays, request.At, logged.AnsweredAt, Forced: false));
            }
        }
    }

    private void Fire(KillEvent kill)
    {
        _armed = null;
        _fired?.TrySetResult(kill);
        _fired = null;
    }
}
