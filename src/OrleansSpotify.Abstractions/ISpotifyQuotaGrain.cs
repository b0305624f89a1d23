namespace OrleansSpotify.Abstractions;

/// <summary>
/// The deployment's one budget of Spotify Web API calls (key <see cref="Constants.QuotaGovernorKey"/>): Spotify counts
/// its quota per developer account, across its client ids, so every call of every account is counted here, and a
/// <c>QUOTA_EXCEEDED</c> or <c>Retry-After</c> pause holds for all of them. Listeners ask it how much they may spend.
/// </summary>
[Alias("OrleansSpotify.ISpotifyQuotaGrain")]
public interface ISpotifyQuotaGrain : IGrainWithIntegerKey
{
    /// <summary>The budget as it stands: calls in the rolling window, the pace to keep, a pause if one holds.</summary>
    [Alias("GetBudget")]
    Task<QuotaBudget> GetBudgetAsync();

    /// <summary>
    /// Calls another silo counted since its last report (its ledger; the governor's own silo's is read directly), and
    /// the pause its rate-limit gate holds. Counted once: each silo drains what it reports.
    /// </summary>
    [Alias("Report")]
    Task ReportAsync(SpotifyCallReport report);

    /// <summary>The calls counted on the UTC days <paramref name="from"/> to <paramref name="to"/> (inclusive), and the budget.</summary>
    [Alias("GetUsage")]
    Task<SpotifyUsage> GetUsageAsync(DateOnly from, DateOnly to);
}

/// <summary>
/// What the governor lets listeners spend. <see cref="Used"/> counts every call of the deployment in the rolling
/// <see cref="Window"/> (24 h by default) against <see cref="Limit"/> (2,000 by default). <see cref="Pace"/> (≥ 1)
/// stretches the intervals a listener may stretch (idle back-off, history reads while playing) when the spending
/// rate would run the budget out before the window ends; 1 while it would not. Once <see cref="Exhausted"/>, a
/// listener reads only recently-played, at least every 2 h, until the window frees calls. While
/// <see cref="PausedUntil"/> is in the future nothing is sent at all (a 429 <c>QUOTA_EXCEEDED</c> or <c>Retry-After</c>).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.QuotaBudget")]
public sealed record QuotaBudget(
    [property: Id(0)] int Limit,
    [property: Id(1)] int Used,
    [property: Id(2)] TimeSpan Window,
    [property: Id(3)] double Pace,
    [property: Id(4)] DateTimeOffset? PausedUntil,
    [property: Id(5)] string? PauseReason)
{
    public bool Exhausted => Used >= Limit;

    public bool IsPaused(DateTimeOffset now) => PausedUntil is { } until && until > now;
}
