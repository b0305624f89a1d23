namespace OrleansSpotify.Abstractions;

/// <summary>What a member is playing, as the last currently-playing poll saw it.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.NowPlaying")]
public sealed record NowPlaying(
    [property: Id(0)] string ItemType,
    [property: Id(1)] bool IsPlaying,
    [property: Id(2)] long? ProgressMs,
    [property: Id(3)] long? DurationMs,
    [property: Id(4)] string? Uri,
    [property: Id(5)] string? Name,
    [property: Id(6)] IReadOnlyList<string> Artists,
    [property: Id(7)] string? AlbumName,
    [property: Id(8)] string? ImageUrl,
    [property: Id(9)] string? ContextUri,
    [property: Id(10)] bool IsLocal,
    [property: Id(11)] DateTimeOffset ObservedAt);
