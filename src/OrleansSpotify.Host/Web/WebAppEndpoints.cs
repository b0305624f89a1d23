using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace OrleansSpotify.Host.Web;

/// <summary>
/// Serves the dashboard built from src/OrleansSpotify.Web (see Web.targets): hashed assets cached for a year,
/// <c>index.html</c> for the app's own URLs (client-side routes), <c>embed.html</c> for
/// <c>/embed/now-playing/{token}</c> — both rendered for the request's path base (<see cref="AppPage"/>) and never
/// cached without revalidation — and problem details (not the app) for unknown API, hub and auth paths.
/// </summary>
public static class WebAppEndpoints
{
    private static readonly string[] ServerPrefixes = ["/api", "/hubs", "/auth", "/openapi", "/embed", "/healthz", "/readyz"];

    public static WebApplication UseWebApp(this WebApplication app)
    {
        // The HTML pages are never served as files: they are rendered for the request's path base (see AppPage), at
        // "/" and every client-side route by the fallback below, so index.html and embed.html are left out here.
        var types = new FileExtensionContentTypeProvider();
        types.Mappings.Remove(".html");
        types.Mappings.Remove(".htm");
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                // Vite puts a content hash in every file name under /assets: they never change. The rest (theme.js,
                // favicon.svg) may.
                context.Context.Response.Headers.CacheControl = context.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
        return app;
    }

    public static IEndpointRouteBuilder MapWebApp(this IEndpointRouteBuilder routes)
    {
        var files = routes.ServiceProvider.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;

        // The embed page is framable on any site (SecurityHeaders leaves frame-ancestors out for it).
        routes.MapGet("/embed/now-playing/{token}", (Func<HttpContext, Task<IResult>>)(context => Page(context, files, "embed.html")))
            .ExcludeFromDescription();

        routes.MapFallback((Func<HttpContext, Task<IResult>>)(context =>
        {
            var path = context.Request.Path;
            var serverPath = ServerPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
            return serverPath || Path.HasExtension(path.Value) || !HttpMethods.IsGet(context.Request.Method)
                ? Task.FromResult(Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Nothing is served at '{path}'."))
                : Page(context, files, "index.html");
        })).ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> Page(HttpContext context, IFileProvider files, string name)
    {
        var file = files.GetFileInfo(name);
        if (!file.Exists)
        {
            return NotBuilt($"wwwroot/{name} is missing: build the Host with Node.js installed (see README).");
        }

        string html;
        using (var reader = new StreamReader(file.CreateReadStream()))
        {
            html = await reader.ReadToEndAsync(context.RequestAborted);
        }

        if (AppPage.Render(html, context.Request.PathBase) is not { } page)
        {
            return NotBuilt($"wwwroot/{name} is from an older build (it has no <meta name=\"base-path\">): rebuild the Host.");
        }

        context.Response.Headers.CacheControl = "no-cache";
        return Results.Content(page, "text/html; charset=utf-8");
    }

    private static IResult NotBuilt(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The dashboard is not built", detail: detail);
}
