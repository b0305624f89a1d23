using System.ComponentModel.DataAnnotations;

namespace OrleansSpotify.Grains;

/// <summary>The deployment's Spotify call budget (section <c>Quota</c>), held by <see cref="SpotifyQuotaGrain"/>.</summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Quota";

    /// <summary>
    /// Web API calls the deployment may send in one rolling <see cref="Window"/> (every account and endpoint together;
    /// Spotify counts the quota per developer account and publishes no figure: 2,000 is a household's safe guess).
    /// </summary>
    [Range(1, 10_000_000)]
    public int CallsPerDay { get; set; } = 2_000;

    /// <summary>The rolling window <see cref="CallsPerDay"/> applies to (1 h to 7 days; 24 h unless changed).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often each silo hands the calls it counted to the governor when nobody asked for the budget (real time: a
    /// listener asking for its budget hands them over at once, whatever the clock).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);
}
