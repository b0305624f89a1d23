using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage.Quota;

namespace OrleansSpotify.Grains;

/// <summary>
/// The deployment's one budget of Spotify Web API calls (key <see cref="Constants.QuotaGovernorKey"/>).
/// <para>
/// Counting: the Spotify HTTP pipeline records every attempt in its silo's <see cref="SpotifyCallLedger"/>; this grain
/// drains its own silo's ledger whenever it is asked anything (so a listener asking for its budget sees every call made
/// before, whatever the clock — deterministic under a fake <see cref="TimeProvider"/>), and other silos hand theirs over
/// through <see cref="ISpotifyQuotaGrain.ReportAsync"/> (<see cref="SpotifyCallFlusher"/>, every
/// <see cref="QuotaOptions.FlushInterval"/>). Counts are kept in SQLite per day (account, endpoint, outcome) and per
/// minute (Web API calls only), from which the rolling window is rebuilt on activation; a budget question writes at
/// most once a minute (of the TimeProvider), the usage, a report and deactivation always.
/// </para>
/// <para>
/// The window: a call counts until a whole <see cref="QuotaOptions.Window"/> has passed since the end of its minute
/// (never freed early, at most a minute late). Token-endpoint calls are counted apart, never against the budget.
/// </para>
/// <para>
/// The pace (<see cref="ComputePace"/>): the calls of the last hour projected over a whole window, divided by what is
/// left of the budget; at least 1, at most <see cref="MaxPace"/>.
/// </para>
/// <para>The pause: the app-wide Retry-After window of the rate-limit gate (persisted, so it survives a restart), or
/// the latest another silo reported; shown while it lasts.</para>
/// </summary>
public sealed partial class SpotifyQuotaGrain(
    SpotifyCallLedger ledger,
    ISpotifyRateLimitStatus rateLimit,
    SpotifyCallStore store,
    IOptions<QuotaOptions> options,
    TimeProvider timeProvider,
    ILogger<SpotifyQuotaGrain> logger) : Grain, ISpotifyQuotaGrain
{
    /// <summary>The largest pace reported (when nothing is left of the budget, or the last hour's spend is far too fast).</summary>
    public const double MaxPace = 100;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan PaceLookback = TimeSpan.FromHours(1);

    /// <summary>
    /// A listener's budget question writes the counts it took at most this often (by the TimeProvider); the usage, a
    /// silo's report and deactivation always write. A crash loses at most this much of counting (or a flush interval).
    /// </summary>
    private static readonly TimeSpan WriteEvery = TimeSpan.FromMinutes(1);

    private readonly QuotaOptions _options = options.Value;

    // Web API calls per minute (start of the minute), while they count in the window.
    private readonly SortedDictionary<DateTimeOffset, int> _minutes = [];

    // Counts taken from the ledgers but not yet written (a write failed): written with the next ones.
    private readonly List<SpotifyCallTally> _unsaved = [];

    private SpotifyPause? _reportedPause;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var stored = await Task.Run(() => store.Minutes(now - _options.Window - Minute), cancellationToken);
        foreach (var (minute, calls) in stored)
        {
            _minutes[minute] = _minutes.GetValueOrDefault(minute) + calls;
        }

        // Loads the gate's persisted window off the turn (once per silo), so later reads are in memory.
        await Task.Run(LocalPause, cancellationToken);
        LogActivated(logger, Used(now), _options.CallsPerDay, _options.Window);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Whatever this silo counted since the last question is written before the grain goes.
        await DrainAsync(null, write: true);
    }

    public async Task<QuotaBudget> GetBudgetAsync()
    {
        await DrainAsync(null, write: false);
        return Budget(timeProvider.GetUtcNow());
    }

    public async Task ReportAsync(SpotifyCallReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.PausedUntil is { } until && (_reportedPause is null || until > _reportedPause.NotBefore))
        {
            _reportedPause = new SpotifyPause(until, report.PauseReason);
        }

        await DrainAsync(report.Calls.IsDefaultOrEmpty ? null : report.Calls, write: true);
    }

    public async Task<SpotifyUsage> GetUsageAsync(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new ArgumentException($"The range ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(to));
        }

        await DrainAsync(null, write: true);
        if (_unsaved.Count > 0)
        {
            throw new InvalidOperationException("The Spotify call counts could not be written; the usage would be short.");
        }

        var rows = await Task.Run(() => store.Days(from, to));
        return new SpotifyUsage(
            [.. rows.Select(r => new SpotifyUsageRow(r.Day, r.AccountKey, r.Endpoint, r.Outcome, r.Count))],
            Budget(timeProvider.GetUtcNow()));
    }

    /// <summary>
    /// The pace listeners stretch their stretchable intervals by: the Web API calls of the last hour projected over a
    /// whole window (<c>lastHour × window / 1 h</c>), divided by what is left of the budget (<c>limit − used</c>);
    /// <see cref="MaxPace"/> when nothing is left; 1 when that projection fits in what is left (or nothing was spent in
    /// the last hour). A listener that stretches by it spends, at the last hour's rate, what is left over a whole window. Under a
    /// steady demand above the budget the spend settles below the limit (at 62 % of it for a demand of exactly the
    /// limit, 89 % for 7.5 times the limit), leaving room for the calls that cannot be stretched.
    /// </summary>
    public static double ComputePace(int lastHour, int used, int limit, TimeSpan window)
    {
        var left = limit - used;
        if (left <= 0)
        {
            return MaxPace;
        }

        if (lastHour <= 0)
        {
            return 1;
        }

        var projected = lastHour * (window / PaceLookback);
        return Math.Clamp(projected / left, 1, MaxPace);
    }

    private QuotaBudget Budget(DateTimeOffset now)
    {
        Prune(now);
        var used = Used(now);
        var lastHour = _minutes.Where(m => m.Key + Minute > now - PaceLookback).Sum(m => m.Value);
        var pace = ComputePace(lastHour, used, _options.CallsPerDay, _options.Window);
        var pause = CurrentPause(now);
        return new QuotaBudget(_options.CallsPerDay, used, _options.Window, pace, pause?.NotBefore, pause?.Reason);
    }

    private int Used(DateTimeOffset now) => _minutes.Where(m => Counts(m.Key, now)).Sum(m => m.Value);

    private bool Counts(DateTimeOffset minute, DateTimeOffset now) => minute + Minute + _options.Window > now;

    private void Prune(DateTimeOffset now)
    {
        foreach (var minute in _minutes.Keys.TakeWhile(m => !Counts(m, now)).ToList())
        {
            _minutes.Remove(minute);
        }
    }

    /// <summary>The pause in force now, if any: the local gate's or the latest reported, whichever ends later.</summary>
    private SpotifyPause? CurrentPause(DateTimeOffset now)
    {
        var local = LocalPause();
        var latest = local is null || (_reportedPause is not null && _reportedPause.NotBefore > local.NotBefore) ? _reportedPause : local;
        return latest is not null && latest.NotBefore > now ? latest : null;
    }

    private SpotifyPause? LocalPause()
    {
        try
        {
            return rateLimit.GetPause();
        }
        catch (SpotifyException ex)
        {
            // The gate could not read its persisted window (it tries again on its next request).
            LogPauseUnknown(logger, ex);
            return null;
        }
    }

    /// <summary>
    /// Takes this silo's ledger (and <paramref name="reported"/> calls) and counts them in the window at once; writes
    /// what is unwritten when <paramref name="write"/> or <see cref="WriteEvery"/> has passed since the last write.
    /// </summary>
    private async Task DrainAsync(IReadOnlyCollection<SpotifyCallTallyEntry>? reported, bool write)
    {
        var local = ledger.Drain();
        var taken = local.Select(c => new SpotifyCallTally(c.Minute, c.Account, c.Endpoint, c.Outcome, c.Count, c.CountsAgainstQuota));
        if (reported is not null)
        {
            taken = taken.Concat(reported.Select(c => new SpotifyCallTally(
                c.Minute, c.AccountKey, c.Endpoint, c.Outcome, c.Count, Spotify.Http.SpotifyEndpoints.CountsAgainstQuota(c.Endpoint))));
        }

        var added = taken.ToList();
        foreach (var tally in added.Where(t => t.CountsAgainstQuota))
        {
            _minutes[tally.Minute] = _minutes.GetValueOrDefault(tally.Minute) + tally.Count;
        }

        _unsaved.AddRange(added);
        var now = timeProvider.GetUtcNow();
        if (_unsaved.Count == 0 || (!write && now - _lastWrite < WriteEvery))
        {
            return;
        }

        var batch = _unsaved.ToList();
        try
        {
            await Task.Run(() => store.Add(batch, now));
            _unsaved.RemoveRange(0, batch.Count);
            _lastWrite = now;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or OrleansSpotify.Abstractions.StorageUnavailableException)
        {
            // Kept in memory (the budget is right) and written with the next counts.
            LogSaveFailed(logger, ex, batch.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Spotify quota governor active: {Used} of {Limit} calls in the last {Window}")]
    private static partial void LogActivated(ILogger logger, int used, int limit, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Spotify pause could not be read")]
    private static partial void LogPauseUnknown(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} Spotify call counts could not be written; they are kept and written with the next")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, int count);
}
