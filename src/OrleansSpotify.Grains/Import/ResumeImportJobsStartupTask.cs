using Microsoft.Extensions.Logging;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Import;

namespace OrleansSpotify.Grains.Import;

/// <summary>
/// At silo start, resumes every import job left queued or running (a crash or a restart mid-import), and removes what a
/// crash left in the imports folder: spooled upload parts, and the folders of jobs that are not waiting to run (an
/// upload that was being checked, a job that ended while its folder was being deleted).
/// </summary>
public sealed partial class ResumeImportJobsStartupTask(
    ImportJobStore jobs,
    IGrainFactory grainFactory,
    ILogger<ResumeImportJobsStartupTask> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var ids = jobs.ListUnfinished();
        RemoveLeftovers(ids);
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

    private void RemoveLeftovers(IReadOnlyList<string> unfinished)
    {
        if (!Directory.Exists(jobs.ImportsDirectory))
        {
            return;
        }

        var keep = new HashSet<string>(unfinished, StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(jobs.ImportsDirectory))
        {
            if (!keep.Contains(Path.GetFileName(folder)))
            {
                LogRemoved(logger, folder);
                ImportJobLauncher.Delete(folder);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Folder}, left by an import that is not waiting to run")]
    private static partial void LogRemoved(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} unfinished import jobs")]
    private static partial void LogResumed(ILogger logger, int count);
}
