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
}
