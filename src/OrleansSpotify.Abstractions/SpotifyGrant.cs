namespace OrleansSpotify.Abstractions;

/// <summary>The tokens a member's sign-in produced, handed to their listener.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.SpotifyGrant")]
public sealed record SpotifyGrant(
    [property: Id(0)] string AccessToken,
    [property: Id(1)] DateTimeOffset AccessTokenExpiresAt,
    [property: Id(2)] string RefreshToken,
    [property: Id(3)] string Scope,
    [property: Id(4)] DateTimeOffset AuthorizedAt);
