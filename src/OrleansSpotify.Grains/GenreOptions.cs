using System.ComponentModel.DataAnnotations;

namespace OrleansSpotify.Grains;

/// <summary>The background genre fetcher, bound from the <c>Genres</c> section.</summary>
public sealed class GenreOptions
{
    public const string SectionName = "Genres";

    /// <summary>At most this many <c>GET /artists/{id}</c> calls a minute (development-mode quotas are small).</summary>
    [Range(1, 600)]
    public int RequestsPerMinute { get; set; } = 20;

    /// <summary>After a failed lookup, try that artist again no sooner than this.</summary>
    public TimeSpan RetryAfterFailure { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often to look for new artists when there was nothing to fetch and nobody woke the fetcher.</summary>
    public TimeSpan IdleCheckInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>After a tick that failed as a whole (the database refused the write, say), the next no sooner than this.</summary>
    public TimeSpan FailureRetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}
