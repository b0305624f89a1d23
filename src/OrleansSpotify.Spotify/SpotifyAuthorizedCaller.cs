using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansSpotify.Spotify.Logging;

namespace OrleansSpotify.Spotify;

/// <summary>
/// Runs a Web API call with a member's access token: refreshes it when it is within <see cref="SpotifyOptions.RefreshSkew"/>
/// of expiry, and once more (then retries once) when Spotify answers 401. A second 401 and
/// <see cref="SpotifyInvalidGrantException"/> propagate. It deliberately keeps the caller's synchronization context
/// (no ConfigureAwait(false)): the holder is usually a grain, whose state must be written on its own scheduler.
/// </summary>
public sealed class SpotifyAuthorizedCaller(
    ISpotifyAccountsClient accounts,
    IOptions<SpotifyOptions> options,
    TimeProvider timeProvider,
    ILogger<SpotifyAuthorizedCaller>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<SpotifyAuthorizedCaller>.Instance;

    public async Task<T> CallAsync<T>(ISpotifyTokenHolder holder, Func<string, CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(call);

        // Every call below (refreshes included) is counted for the holder's account.
        using var scope = holder.AccountKey is { Length: > 0 } account ? Http.SpotifyCallScope.Begin(account) : default;
        var tokens = holder.Tokens;
        if (timeProvider.GetUtcNow() >= tokens.ExpiresAt - options.Value.RefreshSkew)
        {
            SpotifyLog.RefreshingBeforeExpiry(_logger, tokens.ExpiresAt);
            tokens = await RefreshAsync(holder, tokens, cancellationToken);
        }

        try
        {
            return await call(tokens.AccessToken, cancellationToken);
        }
        catch (SpotifyUnauthorizedException ex)
        {
            SpotifyLog.RefreshingAfterUnauthorized(_logger, ex.Message);
            tokens = await RefreshAsync(holder, tokens, cancellationToken);
        }

        return await call(tokens.AccessToken, cancellationToken);
    }

    private async Task<SpotifyTokens> RefreshAsync(ISpotifyTokenHolder holder, SpotifyTokens used, CancellationToken cancellationToken)
    {
        // Someone else refreshed while we were calling: their tokens are current (and ours may be revoked).
        var current = holder.Tokens;
        if (!ReferenceEquals(current, used) && current.AccessToken != used.AccessToken
            && timeProvider.GetUtcNow() < current.ExpiresAt - options.Value.RefreshSkew)
        {
            SpotifyLog.UsingConcurrentRefresh(_logger);
            return current;
        }

        var refreshed = await accounts.RefreshAsync(current.RefreshToken, cancellationToken);

        // Spotify has rotated the refresh token by now: persist it even if our caller gives up.
        await holder.SaveTokensAsync(refreshed, CancellationToken.None);
        return refreshed;
    }
}
