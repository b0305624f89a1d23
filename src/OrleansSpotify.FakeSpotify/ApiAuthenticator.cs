using Microsoft.AspNetCore.Http;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// The Web API's checks before any handler: bearer token (missing, unknown, expired), the app-level 403s
/// (owner without Premium, user not allowlisted) and the token's scopes.
/// </summary>
internal sealed class ApiAuthenticator(FakeSpotifyState state)
{
    /// <summary>
    /// The calling user, or null after writing the error answer. <paramref name="acceptedScopes"/>: any one of them
    /// suffices; empty means no scope is needed.
    /// </summary>
    public async Task<FakeUser?> AuthenticateAsync(HttpContext context, IReadOnlyList<string> acceptedScopes)
    {
        if (string.IsNullOrWhiteSpace(context.Request.Headers.Authorization.ToString()))
        {
            await SpotifyResponses.UnauthorizedAsync(context, SpotifyMessages.NoTokenProvided);
            return null;
        }

        if (RequestPipeline.BearerToken(context) is not { Length: > 0 } token)
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status400BadRequest, SpotifyMessages.OnlyBearer);
            return null;
        }

        var check = state.Tokens.CheckAccessToken(token);
        context.Items[RequestPipeline.UserIdKey] = check.UserId;
        if (check.Status == AccessTokenStatus.Expired)
        {
            await SpotifyResponses.UnauthorizedAsync(context, SpotifyMessages.AccessTokenExpired);
            return null;
        }

        if (check.Status != AccessTokenStatus.Valid || check.UserId is null || state.FindUser(check.UserId) is not { } user)
        {
            await SpotifyResponses.UnauthorizedAsync(context, SpotifyMessages.InvalidAccessToken);
            return null;
        }

        if (user.PremiumOwnerMissing)
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status403Forbidden, SpotifyMessages.OwnerNotPremium);
            return null;
        }

        if (user.NotAllowlisted)
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status403Forbidden, SpotifyMessages.NotAllowlisted);
            return null;
        }

        if (state.Options.EnforceScopes && acceptedScopes.Count > 0 && !acceptedScopes.Any(check.HasScope))
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status403Forbidden, SpotifyMessages.InsufficientScope);
            return null;
        }

        return user;
    }
}
