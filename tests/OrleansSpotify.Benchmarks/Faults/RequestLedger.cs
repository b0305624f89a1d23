using System.Collections.Concurrent;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>One request from the fake's log, with the real instants it arrived and was answered (seconds since the clock started).</summary>
public sealed record LoggedRequest(FakeRequest Request, double ArrivedAt, double AnsweredAt)
{
    /// <summary>The Web API, where Spotify's rate limit applies (not the accounts service).</summary>
    public bool IsWebApi => Request.Endpoint is not (null or "authorize" or "token");
}

/// <summary>Every request the fake logs, as <see cref="FakeSpotifyServer.RequestLogged"/> reports it.</summary>
public sealed class RequestLedger(CompressedClock clock)
{
    private readonly ConcurrentQueue<LoggedRequest> _requests = new();

    public LoggedRequest Add(FakeRequest request)
    {
        var logged = new LoggedRequest(request, clock.RealSeconds(request.At), clock.RealNow);
        _requests.Enqueue(logged);
        return logged;
    }

    public IReadOnlyList<LoggedRequest> Snapshot() => [.. _requests];
}
