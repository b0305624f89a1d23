using Microsoft.Extensions.Primitives;

namespace OrleansSpotify.Host.Auth;

/// <summary>
/// Refuses cross-site state changes (CSRF): a <c>POST</c>, <c>PUT</c>, <c>PATCH</c> or <c>DELETE</c> that carries
/// cookies (so could ride on a member's sign-in) goes through only when the browser says it comes from this site.
/// <list type="bullet">
/// <item><c>Sec-Fetch-Site</c> (set by the browser, never by a page's script) decides when present: <c>same-origin</c>
/// or <c>none</c> pass; <c>same-site</c> (a sibling host, e.g. another app on the same LAN domain) and
/// <c>cross-site</c> are refused.</item>
/// <item>Without it, <c>Origin</c> must be this site's own origin (scheme, host and port of the request, as the
/// forwarded headers from a trusted proxy set them); <c>Origin: null</c> (sandboxed frames, some redirects) is refused.</item>
/// <item>With neither header the request is not a browser's cross-site request (browsers send <c>Origin</c> on every
/// cross-origin <c>POST</c>/<c>PUT</c>/<c>DELETE</c>): curl, scripts and server-to-server calls pass.</item>
/// </list>
/// A request without cookies has no sign-in to abuse and is not checked (a share token's embed may connect to the
/// hub from any page). Refusals are 403 problem details.
/// </summary>
public sealed partial class CrossSiteRequestCheck(RequestDelegate next, ILogger<CrossSiteRequestCheck> logger)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (Refusal(context.Request) is not { } reason)
        {
            await next(context);
            return;
        }

        LogRefused(logger, context.Request.Method, context.Request.Path, reason);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Cross-site request refused",
                Detail = $"State changes are accepted only from this site's own pages ({reason}).",
            },
        });
    }

    /// <summary>Why the request is refused, or null when it may go through.</summary>
    public static string? Refusal(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return null;
        }

        if (StringValues.IsNullOrEmpty(request.Headers.Cookie))
        {
            return null;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none" ? null : $"Sec-Fetch-Site: {site}";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return null;
        }

        return IsOwnOrigin(request, origin) ? null : $"Origin: {origin}";
    }

    private static bool IsOwnOrigin(HttpRequest request, string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var claimed) || claimed.AbsolutePath != "/" || !request.Host.HasValue
            || !Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var own))
        {
            return false;
        }

        return string.Equals(claimed.Scheme, own.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(claimed.IdnHost, own.IdnHost, StringComparison.OrdinalIgnoreCase)
            && claimed.Port == own.Port;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a cross-site {Method} {Path} ({Reason})")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string reason);
}

public static class CrossSiteRequestCheckExtensions
{
    /// <summary>Refuses cross-site state changes that carry cookies; see <see cref="CrossSiteRequestCheck"/>.</summary>
    public static IApplicationBuilder UseCrossSiteRequestCheck(this IApplicationBuilder app) => app.UseMiddleware<CrossSiteRequestCheck>();
}
