using System.Net;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// Spotify's redirect-URI rules since November 2025 (SPOTIFY.md §4.6, §9.21): HTTPS, or plain HTTP only to the
/// loopback literals <c>127.0.0.1</c> and <c>[::1]</c>; never <c>localhost</c>; registered URIs must match exactly,
/// except that a loopback URI registered without a port matches any port.
/// </summary>
internal static class RedirectUris
{
    public static bool IsAllowed(string? requested, IEnumerable<string> registered, bool allowAny = false)
    {
        if (allowAny)
        {
            return requested is not null && Uri.TryCreate(requested, UriKind.Absolute, out var any)
                && (any.Scheme == Uri.UriSchemeHttp || any.Scheme == Uri.UriSchemeHttps) && any.Fragment.Length == 0;
        }

        if (requested is null || !IsAcceptable(requested))
        {
            return false;
        }

        var candidates = registered.ToArray();
        if (candidates.Length == 0)
        {
            return true;
        }

        var withoutPort = StripLoopbackPort(requested);
        return candidates.Any(uri =>
            string.Equals(uri, requested, StringComparison.Ordinal)
            || (withoutPort is not null && IsLoopbackWithoutPort(uri) && string.Equals(uri, withoutPort, StringComparison.Ordinal)));
    }

    private static bool IsAcceptable(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0)
        {
            return false;
        }

        if (uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return uri.Scheme switch
        {
            "https" => true,
            "http" => IsLoopbackLiteral(uri),
            _ => false,
        };
    }

    private static bool IsLoopbackLiteral(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        && IPAddress.TryParse(uri.Host, out var address)
        && (address.Equals(IPAddress.Loopback) || address.Equals(IPAddress.IPv6Loopback));

    private static bool IsLoopbackWithoutPort(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme == "http"
        && IsLoopbackLiteral(uri)
        && Authority(value) is { } authority
        && !HasPort(authority);

    /// <summary>The requested string with its port removed, when it is a loopback HTTP URI; else null.</summary>
    private static string? StripLoopbackPort(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != "http" || !IsLoopbackLiteral(uri)
            || Authority(value) is not { } authority || !HasPort(authority))
        {
            return null;
        }

        var start = value.IndexOf("://", StringComparison.Ordinal) + 3;
        var host = authority[..authority.LastIndexOf(':')];
        return string.Concat(value.AsSpan(0, start), host, value.AsSpan(start + authority.Length));
    }

    private static string? Authority(string value)
    {
        var start = value.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var rest = value[(start + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        return end < 0 ? rest : rest[..end];
    }

    private static bool HasPort(string authority) =>
        authority.StartsWith('[') ? authority.Contains("]:", StringComparison.Ordinal) : authority.Contains(':', StringComparison.Ordinal);
}
