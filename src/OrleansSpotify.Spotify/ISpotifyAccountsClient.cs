namespace OrleansSpotify.Spotify;

/// <summary>Spotify's accounts service: the authorize page and the token endpoint.</summary>
public interface ISpotifyAccountsClient
{
    /// <summary>The URL of Spotify's authorize page for an authorization-code + PKCE (S256) sign-in.</summary>
    Uri BuildAuthorizeUri(string state, string codeChallenge, IReadOnlyCollection<string> scopes, bool showDialog = false);

    /// <summary>Exchanges an authorization code. Throws <see cref="SpotifyInvalidGrantException"/> on <c>invalid_grant</c>.</summary>
    Task<SpotifyTokens> ExchangeCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refreshes an access token. The result carries the new refresh token when Spotify rotated it,
    /// else the one passed in. Throws <see cref="SpotifyInvalidGrantException"/> on <c>invalid_grant</c>.
    /// </summary>
    Task<SpotifyTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default);
}
