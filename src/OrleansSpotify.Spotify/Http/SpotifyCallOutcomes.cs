using System.Net;

namespace OrleansSpotify.Spotify.Http;

/// <summary>How a call sent to Spotify ended, as counted (one per attempt: the resilience pipeline's retries are real calls).</summary>
public static class SpotifyCallOutcomes
{
    /// <summary>2xx with a body.</summary>
    public const string Ok = "ok";

    /// <summary>204 (nothing playing) or another 2xx without a body.</summary>
    public const string NoContent = "no-content";

    /// <summary>429 without <c>QUOTA_EXCEEDED</c>: the rolling rate limit, with its <c>Retry-After</c>.</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>429 whose body's reason is <c>QUOTA_EXCEEDED</c>: the developer account's quota is spent.</summary>
    public const string QuotaExceeded = "quota-exceeded";

    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";

    /// <summary>Another 4xx (400, …).</summary>
    public const string ClientError = "client-error";

    /// <summary>5xx.</summary>
    public const string ServerError = "server-error";

    /// <summary>No answer: the connection failed.</summary>
    public const string Failed = "failed";

    /// <summary>No answer in time (the attempt's timeout), or the caller gave up waiting.</summary>
    public const string Timeout = "timeout";

    public static IReadOnlyList<string> All { get; } =
        [Ok, NoContent, RateLimited, QuotaExceeded, Unauthorized, Forbidden, NotFound, ClientError, ServerError, Failed, Timeout];

    /// <summary>The outcome of an answered call (429's two kinds are told apart by the body: see the handler).</summary>
    public static string ForStatus(HttpStatusCode status, bool emptyBody) => (int)status switch
    {
        204 => NoContent,
        >= 200 and < 300 => emptyBody ? NoContent : Ok,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        429 => RateLimited,
        >= 500 => ServerError,
        _ => ClientError,
    };
}
