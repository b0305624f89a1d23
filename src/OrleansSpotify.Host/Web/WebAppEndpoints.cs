using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace OrleansSpotify.Host.Web;

/// <summary>
/// Serves the dashboard built from src/OrleansSpotify.Web (see Web.targets): hashed assets cached for a year,
/// <c>index.html</c> for the app's own URLs (client-side routes), <c>embed.html</c> for
/// <c>/embed/now-playing/{token}</c>, and problem details (not the app) for unknown API, hub and auth paths.
/// </summary>
public static class WebAppEndpoints
{
    private static readonly string[] ServerPrefixes = ["/api", "/hubs", "/auth", "/openapi", "/embed", "/healthz", "/readyz"];

    public static WebApplication UseWebApp(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                // Vite puts a content hash in every file name under /assets: they never change. The HTML pages do.
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

        // The embed page is framable on any site: nothing here sends X-Frame-Options or a frame-ancestors policy.
        routes.MapGet("/embed/now-playing/{token}", (HttpContext context) => Page(context, files, "embed.html"))
            .ExcludeFromDescription();

        routes.MapFallback((HttpContext context) =>
        {
            var path = context.Request.Path;
            var serverPath = ServerPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
            return serverPath || Path.HasExtension(path.Value) || !HttpMethods.IsGet(context.Request.Method)
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Nothing is served at '{path}'.")
                : Page(context, files, "index.html");
        }).ExcludeFromDescription();
        return routes;
    }

    private static IResult Page(HttpContext context, IFileProvider files, string name)
    {
        var file = files.GetFileInfo(name);
        if (!file.Exists)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The dashboard is not built",
                detail: $"wwwroot/{name} is missing: build the Host with Node.js installed (see README).");
        }

        context.Response.Headers.CacheControl = "no-cache";
        return Results.File(file.CreateReadStream(), "text/html; charset=utf-8", lastModified: file.LastModified, entityTag: null);
    }
}
