namespace OrleansSpotify.FakeSpotify;

/// <summary>The tokens of one sign-in, as the token endpoint would have returned them.</summary>
public sealed record FakeGrant(string AccessToken, string RefreshToken, int ExpiresInSeconds, string Scope, DateTimeOffset AuthorizedAt);
