using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify;

namespace OrleansSpotify.Grains;

/// <summary>
/// Hands the silo's <see cref="SpotifyCallLedger"/> (and its rate-limit gate's pause) to the quota governor every
/// <see cref="QuotaOptions.FlushInterval"/> when it holds something, and once more when the silo stops: calls nobody
/// asked a budget after (the host's sign-in, a silo other than the governor's) are counted and written too. Runs on
/// real time on purpose — the budget's correctness never waits for it (a listener asking for its budget drains the
/// governor's ledger at once), it only bounds how long a count may stay unwritten.
/// </summary>
public sealed partial class SpotifyCallFlusher(
    SpotifyCallLedger ledger,
    ISpotifyRateLimitStatus rateLimit,
    IGrainFactory grainFactory,
    IOptions<QuotaOptions> options,
    ILogger<SpotifyCallFlusher> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SpotifyCallFlusher), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>Reports what the ledger holds now (nothing when it is empty); a failed report puts the counts back.</summary>
    public async Task FlushAsync()
    {
        if (!ledger.HasPending)
        {
            return;
        }

        var calls = ledger.Drain();
        SpotifyPause? pause = null;
        try
        {
            pause = rateLimit.GetPause();
        }
        catch (SpotifyException)
        {
            // Unknown for now: the governor reads its own silo's gate anyway.
        }

        try
        {
            await grainFactory.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey).ReportAsync(new SpotifyCallReport(
                [.. calls.Select(c => new SpotifyCallTallyEntry(c.Minute, c.Account, c.Endpoint, c.Outcome, c.Count))],
                pause?.NotBefore,
                pause?.Reason));
        }
        catch (Exception ex)
        {
            ledger.Restore(calls);
            LogFlushFailed(logger, ex, calls.Count);
        }
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        _loop = RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null || _loop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        await FlushAsync();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} Spotify call counts could not be handed to the quota governor; kept for the next try")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int count);
}
