using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Auth;

/// <summary>
/// Authenticates a share token given as <c>?share=</c>. Only the live hub's policy asks for this scheme: the API's
/// default policy is the member cookie alone, so a token never reads <c>/api/accounts/**</c> (401).
/// </summary>
public sealed class ShareTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ShareTokenStore tokens,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ShareToken";

    public const string QueryParameter = "share";

    /// <summary>The share token's id (claims of a token identity; a member identity has none of them).</summary>
    public const string TokenIdClaim = "orleans-spotify:share-token";

    /// <summary>The account whose live state the token shows.</summary>
    public const string AccountClaim = "orleans-spotify:share-account";

    /// <summary>"true" when the token may show the latest plays.</summary>
    public const string IncludeRecentClaim = "orleans-spotify:share-recent";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var value = Request.Query[QueryParameter].ToString();
        if (string.IsNullOrEmpty(value))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var token = tokens.Find(value, time.GetUtcNow());
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown or revoked share token."));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(TokenIdClaim, token.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(AccountClaim, token.AccountKey),
                new Claim(IncludeRecentClaim, token.IncludeRecent ? "true" : "false"),
            ],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
