using System.ComponentModel.DataAnnotations;

namespace OrleansSpotify.Grains;

/// <summary>Batching of <see cref="StorageGrain"/>, bound from the <c>Storage</c> section.</summary>
public sealed class StorageGrainOptions
{
    /// <summary>A batch is flushed once it holds this many plays ...</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>... or once the first waiting play has waited this long. Zero: flush as soon as the writer is free.</summary>
    public TimeSpan FlushDelay { get; set; } = TimeSpan.FromMilliseconds(50);
}
