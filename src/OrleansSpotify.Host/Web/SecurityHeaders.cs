using Microsoft.Net.Http.Headers;

namespace OrleansSpotify.Host.Web;

/// <summary>
/// Security headers on every response: <c>X-Content-Type-Options: nosniff</c>, a <c>Referrer-Policy</c>, and a
/// Content-Security-Policy. The app (dashboard, API, everything else) may not be framed; the embed page and its SVG
/// (<c>/embed/now-playing/{token}</c>, <c>….svg</c>) are meant to be put on other sites, so they (and the embed's
/// own data, <c>/api/embed/{token}</c>) carry no <c>frame-ancestors</c> and no <c>X-Frame-Options</c>. Headers are added when the response starts, so error pages
/// (the exception handler clears headers) and status-code pages get them too; a header an endpoint set itself wins.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// What the dashboard needs and no more. Scripts: only the app's own files (no inline script: the theme bootstrap
    /// is /theme.js). Styles: only the app's stylesheets — React and Recharts set element styles through the CSSOM
    /// (<c>element.style</c>), which CSP does not govern, and nothing injects &lt;style&gt; or style="" markup.
    /// Connections: 'self', which in CSP Level 3 also matches ws:/wss: to the same host and port (the hub). Images:
    /// Spotify's cover art comes from several CDN hosts (i.scdn.co, mosaic.scdn.co, *.spotifycdn.com), hence https:.
    /// </summary>
    public const string Shared =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>The app's policy: <see cref="Shared"/> and never framed (clickjacking).</summary>
    public const string App = Shared + "; frame-ancestors 'none'";

    /// <summary>The embed page: <see cref="Shared"/>, framable anywhere.</summary>
    public const string EmbedPage = Shared;

    /// <summary>The embed SVG card: drawn from its own markup alone (presentation attributes, no styles or fetches).</summary>
    public const string EmbedImage = "default-src 'none'";

    /// <summary>
    /// <c>strict-origin-when-cross-origin</c>, not <c>no-referrer</c>: other sites (Spotify's CDN) see only the origin,
    /// never a share token in the embed page's path; and same-origin form posts keep a real <c>Origin</c> header
    /// (under <c>no-referrer</c> browsers send <c>Origin: null</c>), which cross-site request checks rely on.
    /// </summary>
    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    private const string ReferrerPolicyHeader = "Referrer-Policy";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var embedPage = path.StartsWithSegments("/embed/now-playing", StringComparison.OrdinalIgnoreCase, out var rest) && rest.HasValue;
            var embed = embedPage || path.StartsWithSegments("/api/embed", StringComparison.OrdinalIgnoreCase);
            var policy = !embed ? App : embedPage && rest.Value!.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) ? EmbedImage : EmbedPage;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (!headers.ContainsKey(ReferrerPolicyHeader))
                {
                    headers[ReferrerPolicyHeader] = ReferrerPolicy;
                }

                if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = policy;
                }

                if (!embed && !headers.ContainsKey(HeaderNames.XFrameOptions))
                {
                    // For browsers without frame-ancestors.
                    headers.XFrameOptions = "DENY";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
