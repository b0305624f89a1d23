using Microsoft.Extensions.Logging;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Import;

namespace OrleansSpotify.Grains.Import;

/// <summary>At silo start, resumes every import job left queued or running (a crash or a restart mid-import).</summary>
public sealed partial class ResumeImportJobsStartupTask(
    ImportJobStore jobs,
    IGrainFactory grainFactory,
    ILogger<ResumeImportJobsStartupTask> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var ids = jobs.ListUnfinished();
        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await grainFactory.GetGrain<IImportJobGrain>(id).StartAsync();
        }

        if (ids.Count > 0)
        {
            LogResumed(logger, ids.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} unfinished import jobs")]
    private static partial void LogResumed(ILogger logger, int count);
}
