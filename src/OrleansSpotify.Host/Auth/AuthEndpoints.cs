using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Host.Demo;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Auth;

/// <summary>Sign-in with Spotify: authorization code + PKCE (S256), <c>state</c> checked, then a cookie.</summary>
public static partial class AuthEndpoints
{
    /// <summary>Read access to what is playing and what was played; nothing else.</summary>
    public static readonly IReadOnlyCollection<string> Scopes =
        ["user-read-currently-playing", "user-read-playback-state", "user-read-recently-played"];

    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/auth").WithTags("Sign-in").ExcludeFromDescription();
        group.MapGet("/login", (Delegate)Login).RequireRateLimiting(SignInRateLimiting.PolicyName);
        group.MapGet("/callback", (Delegate)Callback).RequireRateLimiting(SignInRateLimiting.PolicyName);
        group.MapPost("/logout", (Delegate)Logout);
        return group;
    }

    private static Results<RedirectHttpResult, ProblemHttpResult> Login(HttpContext http, ISpotifyAccountsClient accounts, SignInFlowProtector protector, TimeProvider time, IOptions<SpotifyOptions> options)
    {
        // Demo mode: Spotify (the fake) sends the browser back to whatever origin it used; its page is served here.
        var demo = http.RequestServices.GetService<DemoSignInPage>() is not null;
        Uri callback;
        if (demo)
        {
            if (DemoSignInPage.RedirectUriFor(http.Request) is not { } own)
            {
                return Problem(StatusCodes.Status400BadRequest, "No usable address", "This request's host does not make a usable redirect URI for the demo's sign-in.");
            }

            callback = own;
        }
        else
        {
            // The sign-in cookie must live on the origin Spotify redirects back to (e.g. 127.0.0.1, never 'localhost'):
            // a browser that opened the service under another name is first sent to the login beside that callback.
            callback = options.Value.RedirectUri;
            if (!SameOrigin(http.Request, callback))
            {
                return TypedResults.Redirect(new Uri(callback, "login").AbsoluteUri);
            }
        }

        var flow = new SignInFlow(Pkce.CreateState(), Pkce.CreateCodeVerifier(), time.GetUtcNow(), callback.OriginalString);
        http.Response.Cookies.Append(SignInFlowProtector.CookieName, protector.Protect(flow), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            MaxAge = SignInFlowProtector.Lifetime,
            Path = FlowCookiePath(http.Request),
        });
        var authorize = accounts.BuildAuthorizeUri(flow.State, Pkce.CreateCodeChallenge(flow.CodeVerifier), Scopes, callback);
        return TypedResults.Redirect(demo ? DemoSignInPage.ThroughHost(http.Request, authorize) : authorize.AbsoluteUri);
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Callback(
        HttpContext http,
        string? code,
        string? state,
        string? error,
        ISpotifyAccountsClient accountsClient,
        ISpotifyApiClient spotify,
        AccountStore accounts,
        IGrainFactory grains,
        SignInFlowProtector protector,
        TimeProvider time,
        IOptions<SpotifyOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(AuthEndpoints));
        var flow = protector.Unprotect(http.Request.Cookies[SignInFlowProtector.CookieName]);
        http.Response.Cookies.Delete(SignInFlowProtector.CookieName, new CookieOptions { Path = FlowCookiePath(http.Request), Secure = http.Request.IsHttps, HttpOnly = true, SameSite = SameSiteMode.Lax });
        var now = time.GetUtcNow();

        if (flow is null || now - flow.StartedAt > SignInFlowProtector.Lifetime)
        {
            return Problem(StatusCodes.Status400BadRequest, "Sign-in expired", "This sign-in was not started here or took longer than 10 minutes. Start again at /auth/login.");
        }

        if (string.IsNullOrEmpty(state) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(flow.State)))
        {
            LogStateMismatch(logger);
            return Problem(StatusCodes.Status400BadRequest, "Sign-in state mismatch", "The 'state' Spotify returned does not match this browser's sign-in. Start again at /auth/login.");
        }

        if (!string.IsNullOrEmpty(error))
        {
            return TypedResults.Redirect(Home(http.Request) + "?signin_error=" + Uri.EscapeDataString(error));
        }

        if (string.IsNullOrEmpty(code))
        {
            return Problem(StatusCodes.Status400BadRequest, "Missing code", "Spotify's redirect carried neither 'code' nor 'error'.");
        }

        SpotifyTokens tokens;
        Spotify.Models.SpotifyUserProfile profile;
        try
        {
            // No account exists yet: the exchange and /me are counted under sign-in (Spotify's quota counts them all).
            using var counted = Spotify.Http.SpotifyCallScope.Begin(Spotify.Http.SpotifyCallScope.SignIn);
            var redirectUri = flow.RedirectUri is { } uri ? new Uri(uri) : options.Value.RedirectUri;
            tokens = await accountsClient.ExchangeCodeAsync(code, flow.CodeVerifier, redirectUri, cancellationToken);
            profile = await spotify.GetMeAsync(tokens.AccessToken, cancellationToken);
        }
        catch (SpotifyInvalidGrantException exception)
        {
            return Problem(StatusCodes.Status400BadRequest, "Spotify refused the sign-in", exception.Description + ". Start again at /auth/login.");
        }
        catch (SpotifyForbiddenException exception)
        {
            return Problem(StatusCodes.Status403Forbidden, "Spotify refuses this account", exception.Message + " In development mode, the app owner must add the member under 'User Management' in the Spotify dashboard.");
        }
        catch (SpotifyException exception)
        {
            LogSpotifyFailed(logger, exception);
            return Problem(StatusCodes.Status502BadGateway, "Spotify is not answering", "Spotify could not complete the sign-in right now. Try again in a minute.");
        }

        var account = accounts.Upsert(profile.AccountKey, profile.Id, profile.DisplayName ?? profile.Id, now, now);
        await grains.GetGrain<IListenerGrain>(account.AccountKey)
            .AuthorizeAsync(new SpotifyGrant(tokens.AccessToken, tokens.ExpiresAt, tokens.RefreshToken, tokens.Scope, now));
        LogSignedIn(logger, account.AccountKey);

        var identity = new ClaimsIdentity(
            [new Claim(AuthExtensions.MemberClaim, account.AccountKey), new Claim(ClaimTypes.Name, account.DisplayName)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Redirect(Home(http.Request));
    }

    private static async Task<RedirectHttpResult> Logout(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Redirect(Home(http.Request));
    }

    /// <summary>The dashboard's root under the path base (<c>/</c>, or <c>/music/</c> behind a proxy's sub-path).</summary>
    private static string Home(HttpRequest request) => request.PathBase.Add("/").ToUriComponent();

    /// <summary>The sign-in flow cookie goes only to <c>{PathBase}/auth</c>.</summary>
    private static string FlowCookiePath(HttpRequest request) => request.PathBase.Add("/auth").ToUriComponent();

    private static bool SameOrigin(HttpRequest request, Uri uri) =>
        string.Equals(request.Scheme, uri.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(request.Host.Host, uri.Host, StringComparison.OrdinalIgnoreCase)
        && (request.Host.Port ?? (request.IsHttps ? 443 : 80)) == uri.Port;

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in callback rejected: state mismatch")]
    private static partial void LogStateMismatch(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in callback failed while talking to Spotify")]
    private static partial void LogSpotifyFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Household member {Account} signed in")]
    private static partial void LogSignedIn(ILogger logger, string account);
}
