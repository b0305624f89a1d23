using Microsoft.Extensions.Logging;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify;

namespace OrleansSpotify.Grains;

/// <summary>
/// Keeps one account's Spotify tokens in its listener's persisted state, for <see cref="SpotifyAuthorizedCaller"/>:
/// read on each call, and saved (durably, through <paramref name="saveAsync"/>) before a refreshed token is used.
/// </summary>
internal sealed class ListenerTokenHolder(IPersistentState<ListenerState> persisted, Func<Task> saveAsync, string accountKey, ILogger logger) : ISpotifyTokenHolder
{
    private ListenerState State => persisted.State;

    public SpotifyTokens Tokens => new(State.AccessToken ?? "", State.AccessTokenExpiresAt, State.RefreshToken ?? "", State.Scope ?? "");

    /// <summary>Every call made with these tokens is counted for this account (see <see cref="Spotify.Http.SpotifyCallScope"/>).</summary>
    public string? AccountKey => accountKey;

    public bool HasRefreshToken => State.RefreshToken is not null;

    /// <summary>Takes the tokens of a new sign-in (saved with the status that follows it).</summary>
    public void Accept(SpotifyGrant grant)
    {
        Set(grant.AccessToken, grant.AccessTokenExpiresAt, grant.RefreshToken, grant.Scope);
        State.AuthorizedAt = grant.AuthorizedAt;
    }

    public async Task SaveTokensAsync(SpotifyTokens tokens, CancellationToken cancellationToken)
    {
        // Durable before use: with PKCE the previous refresh token is dead once Spotify rotated it.
        Set(tokens.AccessToken, tokens.ExpiresAt, tokens.RefreshToken, tokens.Scope);
        await saveAsync();
        ListenerLog.TokensRefreshed(logger, accountKey, tokens.ExpiresAt);
    }

    private void Set(string accessToken, DateTimeOffset expiresAt, string refreshToken, string scope)
    {
        State.AccessToken = accessToken;
        State.AccessTokenExpiresAt = expiresAt;
        State.RefreshToken = refreshToken;
        State.Scope = scope;
    }
}
