namespace OrleansSpotify.Host.Demo;

/// <summary>
/// Demo sign-in from any address: the redirect URI is the public origin the browser used (after forwarded headers)
/// plus the path base, and the fake Spotify's account chooser is served through the Host at
/// <c>{PathBase}/demo/spotify/authorize</c>, forwarded to the in-process fake over loopback.
/// </summary>
public sealed class DemoSignInPage(DemoSpotify demo, IHttpClientFactory clients)
{
    public const string AuthorizePath = "/demo/spotify/authorize";

    public const string HttpClientName = "demo-spotify";

    /// <summary>The sign-in page's own policy: its inline style and nothing else (no scripts, no forms, no framing).</summary>
    public const string PagePolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Where Spotify (the fake) sends this browser back: its own origin and path base.</summary>
    public static Uri? RedirectUriFor(HttpRequest request) =>
        request.Host.HasValue
        && Uri.TryCreate($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}/auth/callback", UriKind.Absolute, out var uri)
            ? uri
            : null;

    /// <summary>The fake's authorize URL as a path of this Host (the same query).</summary>
    public static string ThroughHost(HttpRequest request, Uri authorize) =>
        request.PathBase.Add(AuthorizePath).ToUriComponent() + authorize.Query;

    /// <summary>Forwards <c>GET {PathBase}/demo/spotify/authorize?…</c> to the fake's <c>/authorize</c>: the chooser page or its redirect.</summary>
    public async Task AuthorizeAsync(HttpContext context)
    {
        var fake = await demo.Server.WaitAsync(context.RequestAborted);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fake.AccountsBaseUrl, "authorize" + context.Request.QueryString.ToUriComponent()));
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.Headers.CacheControl = "no-store";

        // The fake's page is self-contained: one inline style, links, nothing else; never framed.
        context.Response.Headers.ContentSecurityPolicy = PagePolicy;
        if (response.Headers.Location is { } location)
        {
            context.Response.Headers.Location = location.OriginalString;
        }

        if (response.Content.Headers.ContentType is { } type)
        {
            context.Response.ContentType = type.ToString();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}

public static class DemoSignInEndpoints
{
    /// <summary>Maps the demo's sign-in page (only in demo mode).</summary>
    public static IEndpointRouteBuilder MapDemoSignIn(this IEndpointRouteBuilder routes, bool demo)
    {
        if (demo)
        {
            // Not rate limited itself: every sign-in that reaches it passed /auth/login, and the callback counts too.
            routes.MapGet(DemoSignInPage.AuthorizePath, (HttpContext context, DemoSignInPage page) => page.AuthorizeAsync(context))
                .ExcludeFromDescription();
        }

        return routes;
    }
}
