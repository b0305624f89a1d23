namespace OrleansSpotify.Abstractions;

/// <summary>
/// Fetches artist genres in the background (key <see cref="Constants.GenreFetcherKey"/>), one artist per call to
/// <c>GET /artists/{id}</c> at a bounded rate, through a signed-in member's listener.
/// </summary>
[Alias("OrleansSpotify.IGenreGrain")]
public interface IGenreGrain : IGrainWithIntegerKey
{
    /// <summary>New plays (and so perhaps new artists) arrived: resume fetching if idle.</summary>
    [Alias("Wake")]
    Task WakeAsync();
}

[GenerateSerializer]
[Alias("OrleansSpotify.ArtistLookupStatus")]
public enum ArtistLookupStatus
{
    Found = 0,
    NotFound = 1,
    RateLimited = 2,
    Failed = 3,
    NoToken = 4,
}

/// <param name="Genres">Null when Spotify gave no genre list.</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ArtistLookup")]
public sealed record ArtistLookup(
    [property: Id(0)] ArtistLookupStatus Status,
    [property: Id(1)] IReadOnlyList<string>? Genres,
    [property: Id(2)] DateTimeOffset? RetryAt);
