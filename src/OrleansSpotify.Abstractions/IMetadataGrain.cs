using System.Collections.Immutable;

namespace OrleansSpotify.Abstractions;

/// <summary>
/// Looks up in the background what imports leave out (key <see cref="Constants.MetadataFetcherKey"/>): a track's
/// duration, album and art (<c>GET /tracks/{id}</c>), and the real track behind a track known only by name
/// (<c>GET /search</c>), one request per tick at a bounded rate, the most played first, through a signed-in member's
/// listener. Idle when nothing is pending; imports and the silo's start wake it.
/// </summary>
[Alias("OrleansSpotify.IMetadataGrain")]
public interface IMetadataGrain : IGrainWithIntegerKey
{
    /// <summary>Tracks may be waiting (an import committed, the silo started): resume looking up if idle.</summary>
    [Alias("Wake")]
    Task WakeAsync();
}

[GenerateSerializer]
[Alias("OrleansSpotify.TrackLookupStatus")]
public enum TrackLookupStatus
{
    /// <summary>Spotify answered: the track (by id), or the search results (possibly none).</summary>
    Found = 0,

    /// <summary>No such track (404, or a 400 for an id Spotify does not accept).</summary>
    NotFound = 1,

    /// <summary>429, or refused locally inside the app-wide Retry-After window: nothing may be asked before <see cref="TrackLookup.RetryAt"/>.</summary>
    RateLimited = 2,

    Failed = 3,

    /// <summary>The member's listener has no usable sign-in: ask through another member.</summary>
    NoToken = 4,
}

/// <summary>What a track lookup or a track search through a listener gave.</summary>
/// <param name="Tracks">The track looked up by id (one), or the search results in Spotify's order; empty otherwise.</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.TrackLookup")]
public sealed record TrackLookup(
    [property: Id(0)] TrackLookupStatus Status,
    [property: Id(1)] ImmutableArray<TrackInfo> Tracks,
    [property: Id(2)] DateTimeOffset? RetryAt);

/// <summary>What storing a looked-up track changed (<see cref="IStorageGrain.StoreTrackMetadataAsync"/>).</summary>
/// <param name="Applied">False when the track was gone (folded away meanwhile): nothing was written.</param>
/// <param name="Folded">A track known only by name was folded into the stored real track.</param>
/// <param name="DroppedPlays">Its plays that the real track already had (same account and time), dropped.</param>
/// <param name="MergedPlays">Its imported plays that were a polled play of the real track (the import's window rule), merged into it.</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.TrackMetadataStored")]
public sealed record TrackMetadataStored(
    [property: Id(0)] bool Applied,
    [property: Id(1)] bool Folded,
    [property: Id(2)] int DroppedPlays,
    [property: Id(3)] int MergedPlays);
