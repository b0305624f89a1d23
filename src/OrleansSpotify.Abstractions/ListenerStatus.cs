namespace OrleansSpotify.Abstractions;

/// <summary>A listener's view of its account, for <c>/api/accounts</c>.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ListenerStatus")]
public sealed record ListenerStatus(
    [property: Id(0)] AccountStatus Status,
    [property: Id(1)] string? StatusDetail,
    [property: Id(2)] DateTimeOffset? AuthorizedAt,
    [property: Id(3)] DateTimeOffset? LastSuccessfulPollAt,
    [property: Id(4)] DateTimeOffset? NextPollAt,
    [property: Id(5)] int IdleCount,
    [property: Id(6)] DateTimeOffset? Cursor,
    [property: Id(7)] DateTimeOffset? NextAllowedCallAt,
    [property: Id(8)] string? LastTrackId,
    [property: Id(9)] int ConsecutiveFailures,
    [property: Id(10)] long PollCount);
