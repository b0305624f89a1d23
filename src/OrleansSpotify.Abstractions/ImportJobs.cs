using System.Collections.Immutable;

namespace OrleansSpotify.Abstractions;

/// <summary>Where an import job is.</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.ImportJobState")]
public enum ImportJobState
{
    /// <summary>Accepted and stored; not started yet (or waiting for the silo to resume it).</summary>
    Queued = 0,

    /// <summary>Reading and storing rows.</summary>
    Running = 1,

    /// <summary>Every file was read to its end.</summary>
    Done = 2,

    /// <summary>Stopped on an error that <see cref="ImportJobStatus.Error"/> names; what was committed before stays (a re-import adds nothing twice).</summary>
    Failed = 3,
}

/// <summary>One file of an import job, as stored when the job was accepted.</summary>
/// <param name="Name">The name the report shows (inside a zip: <c>archive.zip/folder/entry.json</c>).</param>
/// <param name="Format">What it holds.</param>
/// <param name="Rows">How many rows it holds (counted when the job was accepted: every file is read once before any row is stored, so a bad file refuses the whole upload).</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ImportJobFile")]
public sealed record ImportJobFile(
    [property: Id(0)] string Name,
    [property: Id(1)] ImportFormat Format,
    [property: Id(2)] long Rows);

/// <summary>How far one file of a job has come; counts are those of <see cref="ImportBatchResult"/>, summed.</summary>
/// <param name="NextRecord">The index of the first row not yet committed: a resumed job starts there.</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ImportFileProgress")]
public sealed record ImportFileProgress(
    [property: Id(0)] string Name,
    [property: Id(1)] ImportFormat Format,
    [property: Id(2)] long Rows,
    [property: Id(3)] long NextRecord,
    [property: Id(4)] long Imported,
    [property: Id(5)] long Merged,
    [property: Id(6)] long Duplicates,
    [property: Id(7)] ImmutableDictionary<string, long> Skipped);

/// <summary>An entry of an uploaded zip that was not imported, and why (the ReadMe PDF, <c>Userdata.json</c>, …).</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ImportSkippedEntry")]
public sealed record ImportSkippedEntry(
    [property: Id(0)] string Name,
    [property: Id(1)] string Reason);

/// <summary>An import job and its report so far.</summary>
/// <param name="Error">Why a <see cref="ImportJobState.Failed"/> job stopped, naming the file and record when it was a row.</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ImportJobStatus")]
public sealed record ImportJobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] string AccountKey,
    [property: Id(2)] ImportJobState State,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt,
    [property: Id(6)] ImmutableArray<ImportFileProgress> Files,
    [property: Id(7)] ImmutableArray<ImportSkippedEntry> SkippedEntries,
    [property: Id(8)] string? Error);

/// <summary>
/// One import job (key: the job id), whose files and progress are stored in the database: it runs in the background of
/// its silo, commits each batch of rows together with its progress, and after a crash or restart resumes from the
/// last committed batch (the startup task wakes unfinished jobs), so nothing is stored twice.
/// </summary>
[Alias("OrleansSpotify.IImportJobGrain")]
public interface IImportJobGrain : IGrainWithStringKey
{
    /// <summary>Starts the stored job, or resumes it; returns at once. Nothing happens for a finished or unknown job.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>The job's report so far; null when no job has this id.</summary>
    [Alias("GetStatus")]
    Task<ImportJobStatus?> GetStatusAsync();
}
