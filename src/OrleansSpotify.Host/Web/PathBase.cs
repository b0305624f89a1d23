using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OrleansSpotify.Host.Web;

/// <summary>
/// The setting <c>PathBase</c> (e.g. <c>PathBase=/music</c>): the service answers under that sub-path, as
/// <c>https://home.example/music/</c> behind a proxy that forwards <c>/music/…</c> unchanged. Empty (the default) is
/// the root. A trusted proxy's <c>X-Forwarded-Prefix</c> sets the request's path base too; everything that builds a
/// URL (the dashboard's pages, sign-in redirects and cookies, share links) reads <c>Request.PathBase</c>, whichever
/// set it.
/// </summary>
public sealed class PathBaseOptions
{
    public const string Key = "PathBase";

    public string? PathBase { get; set; }
}

/// <summary>Checks <c>PathBase</c>: '/' then path segments, no trailing '/', no '.' or '..' segments.</summary>
public sealed partial class PathBaseValidator : IValidateOptions<PathBaseOptions>
{
    public ValidateOptionsResult Validate(string? name, PathBaseOptions options)
    {
        var value = options.PathBase;
        if (string.IsNullOrEmpty(value))
        {
            return ValidateOptionsResult.Success;
        }

        string? failure = null;
        if (value == "/")
        {
            failure = "PathBase '/' is the root: leave PathBase empty to serve at the root, or give a sub-path such as /music.";
        }
        else if (!value.StartsWith('/'))
        {
            failure = $"PathBase '{value}' must start with '/', e.g. PathBase=/music.";
        }
        else if (value.EndsWith('/'))
        {
            failure = $"PathBase '{value}' must not end with '/': use PathBase={value.TrimEnd('/')}.";
        }
        else if (value[1..].Split('/').Any(segment => segment is "." or ".."))
        {
            failure = $"PathBase '{value}' must not contain '.' or '..' segments.";
        }
        else if (!Segments().IsMatch(value))
        {
            failure = $"PathBase '{value}' may only contain letters, digits and '-', '.', '_', '~' between single '/', e.g. PathBase=/music or /home/music.";
        }

        return failure is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failure);
    }

    [GeneratedRegex("^(/[A-Za-z0-9._~-]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex Segments();
}

public static class PathBaseExtensions
{
    /// <summary>
    /// Applies <c>PathBase</c> (validated here, at start-up, with a message naming the key): requests under it get it
    /// as their path base; then routing. Requests outside it are still answered at the root (health probes, a proxy that strips the
    /// prefix), as <see cref="UsePathBaseExtensions.UsePathBase"/> does.
    /// </summary>
    public static WebApplication UseConfiguredPathBase(this WebApplication app)
    {
        var options = new PathBaseOptions();
        app.Configuration.Bind(options);
        var result = new PathBaseValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(PathBaseOptions.Key, typeof(PathBaseOptions), result.Failures);
        }

        if (!string.IsNullOrEmpty(options.PathBase))
        {
            app.UsePathBase(options.PathBase);
        }

        // Endpoints are matched here, once the path base is known (PathBase above, or a trusted proxy's
        // X-Forwarded-Prefix applied by an earlier middleware): WebApplication would otherwise match them first of
        // all, against the full path ("/music/api/…"), and find nothing.
        app.UseRouting();
        return app;
    }
}
