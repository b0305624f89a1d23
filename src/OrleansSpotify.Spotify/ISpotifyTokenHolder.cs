namespace OrleansSpotify.Spotify;

/// <summary>
/// Owns one member's tokens (in practice the member's grain, which also serializes refreshes so two callers never race
/// on a single-use PKCE refresh token).
/// </summary>
public interface ISpotifyTokenHolder
{
    SpotifyTokens Tokens { get; }

    /// <summary>
    /// The account the calls made with these tokens are counted for (<see cref="Http.SpotifyCallScope"/>); null: whatever
    /// scope the caller set.
    /// </summary>
    string? AccountKey => null;

    /// <summary>Persists refreshed tokens. Called before the new access token is used: the old refresh token is already dead.</summary>
    Task SaveTokensAsync(SpotifyTokens tokens, CancellationToken cancellationToken);
}
