namespace OrleansSpotify.Host.Proxy;

/// <summary>
/// Checks <c>X-Forwarded-Prefix</c> before the forwarded-headers middleware applies it (from trusted proxies only) as
/// <c>Request.PathBase</c>: it must be a path (<c>/music</c>), without <c>..</c>, control characters, a query or a
/// fragment. A bad value is dropped, and logged once; a trailing slash is trimmed and <c>/</c> means no prefix.
/// </summary>
public sealed partial class ForwardedPrefix(ILogger<ForwardedPrefix> logger)
{
    public const string HeaderName = "X-Forwarded-Prefix";

    private int _logged;

    /// <summary>The prefix to use for <paramref name="value"/>: null when it is invalid, "" when it means the root.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value) || value[0] != '/' || value.Length > 256)
        {
            return null;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) || c is '?' or '#' or '\\' || char.IsWhiteSpace(c))
            {
                return null;
            }
        }

        var decoded = Uri.UnescapeDataString(value);
        if (decoded.Split('/').Any(segment => segment is ".." or ".") || decoded.Any(char.IsControl) || decoded.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }

        return value.TrimEnd('/');
    }

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Request.Headers;
        if (headers.TryGetValue(HeaderName, out var values))
        {
            // Proxies in a chain each add their value; only a single, valid prefix is kept.
            var value = values.Count == 1 ? values[0] : null;
            var prefix = Normalize(value);
            if (prefix is null)
            {
                headers.Remove(HeaderName);
                if (Interlocked.Exchange(ref _logged, 1) == 0)
                {
                    LogInvalidPrefix(logger, string.Join(", ", values.Select(v => (v ?? "").Length > 80 ? v![..80] + "…" : v)));
                }
            }
            else if (prefix.Length == 0)
            {
                headers.Remove(HeaderName);
            }
            else
            {
                headers[HeaderName] = prefix;
            }
        }

        return next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring X-Forwarded-Prefix '{Prefix}': a prefix must be one path starting with '/', without '..' or control characters (logged once)")]
    private static partial void LogInvalidPrefix(ILogger logger, string prefix);
}
