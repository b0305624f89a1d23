using System.Collections.Immutable;

namespace OrleansSpotify.Abstractions;

/// <summary>How a play reached us; the numbers are <c>play_sources.id</c> in schema.sql.</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.PlaySource")]
public enum PlaySource
{
    RecentlyPlayed = 1,
    ImportExtendedHistory = 2,
    ImportAccountData = 3,

    /// <summary>
    /// Seen by the listener's live progress only (a skip, a local file, a podcast episode, a repeat recently-played did
    /// not list): its <c>ms_played</c> is the time between its start and its replacement.
    /// </summary>
    Live = 4,
}

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ArtistInfo")]
public sealed record ArtistInfo(
    [property: Id(0)] string? SpotifyId,
    [property: Id(1)] string Name);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.AlbumInfo")]
public sealed record AlbumInfo(
    [property: Id(0)] string? SpotifyId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? AlbumType,
    [property: Id(3)] string? ReleaseDate,
    [property: Id(4)] string? ImageUrl);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.TrackInfo")]
public sealed record TrackInfo(
    [property: Id(0)] string Uri,
    [property: Id(1)] string? SpotifyId,
    [property: Id(2)] string Name,
    [property: Id(3)] long DurationMs,
    [property: Id(4)] bool Explicit,
    [property: Id(5)] bool IsLocal,
    [property: Id(6)] string? Isrc,
    [property: Id(7)] AlbumInfo? Album,
    [property: Id(8)] ImmutableArray<ArtistInfo> Artists);

/// <summary>One play. Identity: (account, <see cref="PlayedAt"/> to the millisecond, track URI).</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.PlayRecord")]
public sealed record PlayRecord(
    [property: Id(0)] DateTimeOffset PlayedAt,
    [property: Id(1)] TrackInfo Track,
    [property: Id(2)] long? MsPlayed,
    [property: Id(3)] string? ContextUri,
    [property: Id(4)] string? ContextType,
    [property: Id(5)] PlaySource Source);
