using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// At silo start, wakes the listener of every account that should be polling, and the genre and metadata fetchers.
/// Reminders are the watchdog, but the single-silo default keeps them in memory, so after a restart this is what
/// resumes polling. Nothing is woken when <see cref="ListenerOptions.ResumeAtStartup"/> is false (the import command).
/// </summary>
public sealed partial class ResumeListenersStartupTask(
    AccountStore accounts,
    IGrainFactory grainFactory,
    IOptions<ListenerOptions> options,
    ILogger<ResumeListenersStartupTask> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        if (!options.Value.ResumeAtStartup)
        {
            LogNotResumed(logger);
            return;
        }

        var keys = accounts.ListActiveKeys();
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await grainFactory.GetGrain<IListenerGrain>(key).EnsurePollingAsync();
        }

        await grainFactory.GetGrain<IGenreGrain>(Constants.GenreFetcherKey).WakeAsync();
        await grainFactory.GetGrain<IMetadataGrain>(Constants.MetadataFetcherKey).WakeAsync();
        LogResumed(logger, keys.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed polling for {Count} household accounts")]
    private static partial void LogResumed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling is not resumed (Polling:ResumeAtStartup is false)")]
    private static partial void LogNotResumed(ILogger logger);
}
