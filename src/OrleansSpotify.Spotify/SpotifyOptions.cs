using System.ComponentModel.DataAnnotations;

namespace OrleansSpotify.Spotify;

/// <summary>Bound from the <c>Spotify</c> configuration section.</summary>
public sealed class SpotifyOptions
{
    public const string SectionName = "Spotify";

    /// <summary>The app's client id from the Spotify developer dashboard.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClientId { get; set; } = "";

    /// <summary>Optional. Absent: a PKCE public client. Present: the token endpoint is called with Basic auth.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Must match a redirect URI registered for the app exactly. Spotify rejects <c>localhost</c>.</summary>
    [Required]
    public Uri RedirectUri { get; set; } = new("http://127.0.0.1:5080/auth/callback");

    [Required]
    public Uri AccountsBaseUrl { get; set; } = new("https://accounts.spotify.com/");

    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://api.spotify.com/v1/");

    /// <summary>Refresh the access token this long before it expires.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RefreshSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause after <c>QUOTA_EXCEEDED</c> when Spotify sends no (or a shorter) Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan QuotaExceededPause { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Used when a 429 lacks a parseable Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of 5xx/timeouts inside one call (jittered exponential back-off).</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry's median delay; later ones grow exponentially.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one HTTP attempt (10 ms to 1 day, Polly's bounds).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool UsesClientSecret => !string.IsNullOrEmpty(ClientSecret);
}
