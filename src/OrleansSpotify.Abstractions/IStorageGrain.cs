using System.Collections.Immutable;

namespace OrleansSpotify.Abstractions;

/// <summary>
/// The single writer of plays (key <see cref="Constants.StorageGrainKey"/>). Batches inserts into one
/// transaction per batch and completes each caller's task only once its plays are committed.
/// </summary>
[Alias("OrleansSpotify.IStorageGrain")]
public interface IStorageGrain : IGrainWithIntegerKey
{
    /// <summary>Records plays idempotently; returns how many of them were new.</summary>
    [Alias("RecordPlays")]
    Task<int> RecordPlaysAsync(string accountKey, ImmutableArray<PlayRecord> plays);

    /// <summary>
    /// Stores one batch of an account's imported rows in one transaction through the same writer (a polled play's
    /// commit waits at most one such batch), merging rows with polled plays and ignoring rows stored before; the
    /// account's stats and the household's are told once it has committed. With a <paramref name="checkpoint"/>, the
    /// import job's progress row moves to it (counts added once) in the same transaction.
    /// </summary>
    [Alias("Import")]
    Task<ImportBatchResult> ImportAsync(string accountKey, ImportFormat format, ImmutableArray<ImportedPlay> rows, ImportCheckpoint? checkpoint = null);
}
