using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Spotify.Http;
using OrleansSpotify.Spotify.Json;
using OrleansSpotify.Spotify.Logging;

namespace OrleansSpotify.Spotify;

/// <summary>
/// Typed client for <c>accounts.spotify.com</c>. With <see cref="SpotifyOptions.ClientSecret"/> set it authenticates to the
/// token endpoint with HTTP Basic; without it, it is a PKCE public client and sends <c>client_id</c> in the form.
/// </summary>
public sealed class SpotifyAccountsClient(
    HttpClient httpClient,
    IOptions<SpotifyOptions> options,
    TimeProvider timeProvider,
    ILogger<SpotifyAccountsClient> logger) : ISpotifyAccountsClient
{
    private const string TokenPath = "api/token";
    private const string AuthorizePath = "authorize";

    /// <summary>Per the docs (<c>expires_in: 3600</c>); used only if a token response omits it.</summary>
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(1);

    public Uri BuildAuthorizeUri(string state, string codeChallenge, IReadOnlyCollection<string> scopes, bool showDialog = false) =>
        BuildAuthorizeUri(state, codeChallenge, scopes, options.Value.RedirectUri, showDialog);

    public Uri BuildAuthorizeUri(string state, string codeChallenge, IReadOnlyCollection<string> scopes, Uri redirectUri, bool showDialog = false)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        ArgumentException.ThrowIfNullOrEmpty(state);
        ArgumentException.ThrowIfNullOrEmpty(codeChallenge);
        ArgumentNullException.ThrowIfNull(scopes);

        var settings = options.Value;
        var query = new StringBuilder()
            .Append("client_id=").Append(Uri.EscapeDataString(settings.ClientId))
            .Append("&response_type=code")
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(redirectUri.OriginalString))
            .Append("&state=").Append(Uri.EscapeDataString(state))
            .Append("&scope=").Append(Uri.EscapeDataString(string.Join(' ', scopes)))
            .Append("&code_challenge_method=S256")
            .Append("&code_challenge=").Append(Uri.EscapeDataString(codeChallenge));
        if (showDialog)
        {
            query.Append("&show_dialog=true");
        }

        return new UriBuilder(new Uri(SpotifyUris.WithTrailingSlash(settings.AccountsBaseUrl), AuthorizePath))
        {
            Query = query.ToString(),
        }.Uri;
    }

    public Task<SpotifyTokens> ExchangeCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken = default) =>
        ExchangeCodeAsync(code, codeVerifier, options.Value.RedirectUri, cancellationToken);

    public async Task<SpotifyTokens> ExchangeCodeAsync(string code, string codeVerifier, Uri redirectUri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);

        var response = await RequestTokenAsync(
            [
                new("grant_type", "authorization_code"),
                new("code", code),
                new("redirect_uri", redirectUri.OriginalString),
                new("code_verifier", codeVerifier),
            ],
            cancellationToken).ConfigureAwait(false);

        if (string.IsNullOrEmpty(response.RefreshToken))
        {
            throw new SpotifyException("Spotify's authorization-code response carried no refresh token.", 200);
        }

        var tokens = ToTokens(response, response.RefreshToken);
        SpotifyLog.CodeExchanged(logger, tokens.ExpiresAt);
        return tokens;
    }

    public async Task<SpotifyTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);

        var response = await RequestTokenAsync(
            [
                new("grant_type", "refresh_token"),
                new("refresh_token", refreshToken),
            ],
            cancellationToken).ConfigureAwait(false);

        // PKCE rotates the refresh token (the old one is dead); the secret-based flow may omit it: keep the old one.
        var rotated = !string.IsNullOrEmpty(response.RefreshToken);
        var tokens = ToTokens(response, rotated ? response.RefreshToken! : refreshToken);
        SpotifyLog.TokenRefreshed(logger, tokens.ExpiresAt, rotated && response.RefreshToken != refreshToken);
        return tokens;
    }

    private async Task<TokenResponseDto> RequestTokenAsync(List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.UsesClientSecret)
        {
            form.Add(new("client_id", settings.ClientId));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, TokenPath) { Content = new FormUrlEncodedContent(form) };
        if (settings.UsesClientSecret)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.ClientId}:{settings.ClientSecret}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        var (response, body) = await SpotifyHttp.SendAsync(httpClient, request, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var error = SpotifyErrors.ForAccounts(response, body, timeProvider.GetUtcNow());
                if (error is SpotifyInvalidGrantException invalidGrant)
                {
                    SpotifyLog.InvalidGrant(logger, invalidGrant.Description);
                }

                throw error;
            }

            var token = SpotifyHttp.Deserialize(body, SpotifyJsonContext.Default.TokenResponseDto, "token");
            if (string.IsNullOrEmpty(token.AccessToken))
            {
                throw SpotifyErrors.Malformed("token");
            }

            return token;
        }
    }

    private SpotifyTokens ToTokens(TokenResponseDto response, string refreshToken)
    {
        var lifetime = response.ExpiresIn is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
        return new SpotifyTokens(response.AccessToken!, timeProvider.GetUtcNow() + lifetime, refreshToken, response.Scope ?? "");
    }
}
