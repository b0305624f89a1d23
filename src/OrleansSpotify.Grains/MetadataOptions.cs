using System.ComponentModel.DataAnnotations;

namespace OrleansSpotify.Grains;

/// <summary>The background metadata fetcher (track details, name-only tracks' real ones), bound from the <c>Metadata</c> section.</summary>
public sealed class MetadataOptions
{
    public const string SectionName = "Metadata";

    /// <summary>
    /// At most this many <c>GET /tracks/{id}</c> and <c>GET /search</c> calls a minute together (development-mode quotas
    /// are small); 0 turns the lookups off (the stats work without them; imported tracks keep what the export said).
    /// </summary>
    [Range(0, 600)]
    public int RequestsPerMinute { get; set; } = 20;

    /// <summary>How many results a search asks for (1–10: the most a development-mode app may since February 2026).</summary>
    [Range(1, 10)]
    public int SearchLimit { get; set; } = 5;

    /// <summary>A track Spotify did not find (no such id, no search result with the same title and artist) is not asked about again before this.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan NotFoundRetryAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>After a failed lookup (5xx, timeout), try that track again no sooner than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan RetryAfterFailure { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often to look for tracks when there was nothing to look up and nobody woke the fetcher.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleCheckInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>After a tick that failed as a whole (the database refused the write, say), the next no sooner than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureRetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}
