using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Benchmarks.Faults;

public enum FaultKind
{
    ServerError,
    RateLimited,
    QuotaExceeded,
    Timeout,
    MalformedJson,
    Spurious401,
    Expired401,
    InvalidGrant,
    Kill,
}

/// <summary>Faults scheduled by the run, and those served (counted from the fake's request log, kills by the run).</summary>
public sealed class FaultTally
{
    private readonly Dictionary<FaultKind, int> _scheduled = [];
    private readonly Dictionary<FaultKind, int> _served = [];

    public static string Describe(FaultKind kind) => kind switch
    {
        FaultKind.ServerError => "5xx (500 JSON, 502 HTML, 503 empty)",
        FaultKind.RateLimited => "429 storm (app-wide window; answers)",
        FaultKind.QuotaExceeded => "429 QUOTA_EXCEEDED, no Retry-After",
        FaultKind.Timeout => "timeout (no answer)",
        FaultKind.MalformedJson => "malformed JSON (truncated 200)",
        FaultKind.Spurious401 => "spurious 401 (valid token)",
        FaultKind.Expired401 => "401 token expired",
        FaultKind.InvalidGrant => "invalid_grant (robin revoked; answers)",
        FaultKind.Kill => "SIGKILL of the Host",
        _ => kind.ToString(),
    };

    public void Schedule(FaultKind kind, int count) => _scheduled[kind] = Scheduled(kind) + count;

    public void Serve(FaultKind kind, int count) => _served[kind] = Served(kind) + count;

    public int Scheduled(FaultKind kind) => _scheduled.GetValueOrDefault(kind);

    public int Served(FaultKind kind) => _served.GetValueOrDefault(kind);

    public int TotalServed => _served.Values.Sum();

    /// <summary>Counts what the fake answered with: queued faults and window 429s by kind, invalid_grant answers of the token endpoint.</summary>
    public void CountServed(IEnumerable<LoggedRequest> requests)
    {
        foreach (var logged in requests)
        {
            var request = logged.Request;
            if (request.Fault is { } fault && KindOf(fault) is { } kind)
            {
                Serve(kind, 1);
            }
            else if (request is { Endpoint: "token", StatusCode: 400, Fault: null, UserId: FaultRun.RevokedUserId })
            {
                Serve(FaultKind.InvalidGrant, 1);
            }
        }
    }

    private static FaultKind? KindOf(FakeFault fault) => fault switch
    {
        FakeFault.ServerError500Json or FakeFault.BadGateway502Html or FakeFault.ServiceUnavailable503Empty => FaultKind.ServerError,
        FakeFault.RateLimited429 => FaultKind.RateLimited,
        FakeFault.QuotaExceeded429 => FaultKind.QuotaExceeded,
        FakeFault.Timeout => FaultKind.Timeout,
        FakeFault.MalformedJson => FaultKind.MalformedJson,
        FakeFault.Unauthorized401Spurious => FaultKind.Spurious401,
        FakeFault.Unauthorized401Expired => FaultKind.Expired401,
        FakeFault.InvalidGrant => FaultKind.InvalidGrant,
        _ => null,
    };
}
