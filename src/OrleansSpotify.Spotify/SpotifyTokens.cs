namespace OrleansSpotify.Spotify;

/// <summary>A usable token set. <see cref="ExpiresAt"/> is computed from <c>expires_in</c> on receipt.</summary>
public sealed record SpotifyTokens(string AccessToken, DateTimeOffset ExpiresAt, string RefreshToken, string Scope);
