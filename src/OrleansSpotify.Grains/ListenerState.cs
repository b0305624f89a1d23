using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>The persisted state of a <see cref="ListenerGrain"/>.</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.Grains.ListenerState")]
public sealed class ListenerState
{
    [Id(0)] public string? AccessToken { get; set; }

    [Id(1)] public DateTimeOffset AccessTokenExpiresAt { get; set; }

    [Id(2)] public string? RefreshToken { get; set; }

    [Id(3)] public string? Scope { get; set; }

    [Id(4)] public DateTimeOffset? AuthorizedAt { get; set; }

    [Id(5)] public AccountStatus Status { get; set; } = AccountStatus.Stopped;

    [Id(6)] public string? StatusDetail { get; set; }

    /// <summary>Consecutive polls that found nothing playing.</summary>
    [Id(7)] public int IdleCount { get; set; }

    /// <summary>The URI (or type, for ads) of the item the last poll saw playing.</summary>
    [Id(8)] public string? LastTrackId { get; set; }

    /// <summary>The newest played_at whose batch is committed. Advanced only after the StorageGrain confirms.</summary>
    [Id(9)] public DateTimeOffset? Cursor { get; set; }

    /// <summary>No Spotify call before this instant (a Retry-After seen by this listener).</summary>
    [Id(10)] public DateTimeOffset? NextAllowedCallAt { get; set; }

    [Id(11)] public DateTimeOffset? LastSuccessfulPollAt { get; set; }

    [Id(12)] public DateTimeOffset? LastHistoryReadAt { get; set; }

    [Id(13)] public int ConsecutiveFailures { get; set; }

    [Id(14)] public bool WasPlaying { get; set; }

    [Id(15)] public long LastProgressMs { get; set; }

    [Id(16)] public long PollCount { get; set; }
}
