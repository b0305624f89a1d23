namespace OrleansSpotify.FakeSpotify;

/// <summary>Which requests a queued fault applies to. <see cref="Any"/> matches the token endpoint and every Web API endpoint.</summary>
public enum FakeEndpoint
{
    Any,
    Token,
    Me,
    CurrentlyPlaying,
    RecentlyPlayed,
    Player,
    Artist,

    /// <summary><c>GET /v1/tracks/{id}</c>.</summary>
    Track,

    /// <summary><c>GET /v1/search</c>.</summary>
    Search,
}

/// <summary>A failure (or quirk) the fake answers with instead of its normal response.</summary>
public enum FakeFault
{
    /// <summary>500 with a JSON error body.</summary>
    ServerError500Json,

    /// <summary>502 with a gateway's HTML page.</summary>
    BadGateway502Html,

    /// <summary>503 with an empty body.</summary>
    ServiceUnavailable503Empty,

    /// <summary>429 "API rate limit exceeded" with <c>Retry-After: 1</c>.</summary>
    RateLimited429,

    /// <summary>429 "Too many requests" with <c>"reason":"QUOTA_EXCEEDED"</c> and no Retry-After.</summary>
    QuotaExceeded429,

    /// <summary>401 "The access token expired" (Web API only).</summary>
    Unauthorized401Expired,

    /// <summary>A one-off 401 "Access token missing" for a valid token (Web API only).</summary>
    Unauthorized401Spurious,

    /// <summary>200 with the first half of the JSON the endpoint would have sent.</summary>
    MalformedJson,

    /// <summary><c>{"error":"invalid_grant","error_description":"Refresh token revoked"}</c> (token endpoint only).</summary>
    InvalidGrant,

    /// <summary>403 "User not registered in the Developer Dashboard" (Web API only).</summary>
    Forbidden403NotAllowlisted,

    /// <summary>403 "Active premium subscription required for the owner of the app…" (Web API only).</summary>
    Forbidden403OwnerNotPremium,

    /// <summary>The normal playback answer with <c>"progress_ms":null</c> (currently-playing and playback state only).</summary>
    NullProgress,

    /// <summary>200 with <c>"currently_playing_type":"unknown"</c> and a null item (currently-playing and playback state only).</summary>
    UnknownItemType,

    /// <summary>
    /// No answer at all: the request hangs until the client gives up (or the server stops), then the connection is
    /// dropped. Logged with <see cref="FakeRequest.StatusCode"/> 0.
    /// </summary>
    Timeout,
}
