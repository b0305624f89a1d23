using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OrleansSpotify.Host.Auth;

public static class AuthExtensions
{
    public const string MemberClaim = "orleans-spotify:account";

    /// <summary>A household member (cookie) or a share token (<c>?share=</c>): who may connect to the live hub.</summary>
    public const string MemberOrSharePolicy = "member-or-share-token";

    /// <summary>
    /// Cookie sign-in for household members. Its keys are the Data Protection key ring of
    /// <see cref="Secrets.SecretsExtensions.AddSecretsAtRest"/>, kept under the data directory so a restart does not
    /// sign everyone out. API and hub calls without a member get 401, never a redirect. Share tokens are a scheme
    /// of their own that only <see cref="MemberOrSharePolicy"/> (the live hub) accepts.
    /// </summary>
    public static WebApplicationBuilder AddHouseholdAuthentication(this WebApplicationBuilder builder)
    {
        // Data Protection (the cookie's keys, kept under the data directory) is set up by AddSecretsAtRest.
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "orleans-spotify";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromDays(30);
                options.SlidingExpiration = true;
                options.LoginPath = "/auth/login";
                options.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ShareTokenAuthenticationHandler>(ShareTokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(MemberOrSharePolicy, policy => policy
                .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme, ShareTokenAuthenticationHandler.SchemeName)
                .RequireAssertion(context =>
                    context.User.HasClaim(c => c.Type == MemberClaim) || context.User.HasClaim(c => c.Type == ShareTokenAuthenticationHandler.TokenIdClaim)));
        builder.Services.AddSingleton<SignInFlowProtector>();
        builder.AddSignInRateLimiting();
        return builder;
    }

    private static Task Deny(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
