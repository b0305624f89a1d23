using System.ComponentModel.DataAnnotations;

namespace OrleansSpotify.Grains.Import;

/// <summary>How import jobs run, bound from the <c>Import</c> section (next to the readers' <c>ImportLimits</c>).</summary>
public sealed class ImportJobOptions
{
    /// <summary>Rows per transaction: each batch commits with the job's progress; a live poll's commit waits at most one.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5_000;

    /// <summary>Progress is announced (the hub's <c>importProgress</c>) at most this often, besides the start and the end.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A job the database refused (full disk, read-only) tries again after this long, from where it stopped.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
