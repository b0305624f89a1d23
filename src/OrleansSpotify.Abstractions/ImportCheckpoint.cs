namespace OrleansSpotify.Abstractions;

/// <summary>
/// Where an import job stands once a batch has committed: the storage grain moves the job's progress row to it in the
/// batch's own transaction, so the rows and the progress commit together or not at all. A checkpoint the job's row has
/// already passed (a batch offered again) adds nothing to its counts.
/// </summary>
/// <param name="JobId">The job (<see cref="IImportJobGrain"/>'s key).</param>
/// <param name="FileIndex">The index of the file in <see cref="ImportJobStatus.Files"/>.</param>
/// <param name="NextRecord">The index of the file's first row after the batch.</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ImportCheckpoint")]
public sealed record ImportCheckpoint(
    [property: Id(0)] string JobId,
    [property: Id(1)] int FileIndex,
    [property: Id(2)] long NextRecord);
