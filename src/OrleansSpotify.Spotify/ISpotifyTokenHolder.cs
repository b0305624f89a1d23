namespace OrleansSpotify.Spotify;

/// <summary>
/// Owns one member's tokens (in practice the member's grain, which also serializes refreshes so two callers never race
/// on a single-use PKCE refresh token).
/// </summary>
public interface ISpotifyTokenHolder
{
    SpotifyTokens Tokens { get; }

    /// <summary>Persists refreshed tokens. Called before the new access token is used: the old refresh token is already dead.</summary>
    Task SaveTokensAsync(SpotifyTokens tokens, CancellationToken cancellationToken);
}
