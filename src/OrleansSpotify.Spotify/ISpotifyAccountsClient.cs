namespace OrleansSpotify.Spotify;

/// <summary>Spotify's accounts service: the authorize page and the token endpoint.</summary>
public interface ISpotifyAccountsClient
{
    /// <summary>The URL of Spotify's authorize page for an authorization-code + PKCE (S256) sign-in.</summary>
    Uri BuildAuthorizeUri(string state, string codeChallenge, IReadOnlyCollection<string> scopes, bool showDialog = false);

    /// <summary>As above, with Spotify sending the browser back to <paramref name="redirectUri"/> instead of the configured one.</summary>
    Uri BuildAuthorizeUri(string state, string codeChallenge, IReadOnlyCollection<string> scopes, Uri redirectUri, bool showDialog = false);

    /// <summary>Exchanges an authorization code. Throws <see cref="SpotifyInvalidGrantException"/> on <c>invalid_grant</c>.</summary>
    Task<SpotifyTokens> ExchangeCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken = default);

    /// <summary>Exchanges a code issued for <paramref name="redirectUri"/> (the one the authorize request carried).</summary>
    Task<SpotifyTokens> ExchangeCodeAsync(string code, string codeVerifier, Uri redirectUri, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refreshes an access token. The result carries the new refresh token when Spotify rotated it,
    /// else the one passed in. Throws <see cref="SpotifyInvalidGrantException"/> on <c>invalid_grant</c>.
    /// </summary>
    Task<SpotifyTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default);
}
