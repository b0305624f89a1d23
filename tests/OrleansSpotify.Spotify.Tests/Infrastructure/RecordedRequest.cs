using System.Web;

namespace OrleansSpotify.Spotify.Tests.Infrastructure;

internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body as an <c>application/x-www-form-urlencoded</c> form.</summary>
    public IReadOnlyDictionary<string, string?> Form()
    {
        var form = HttpUtility.ParseQueryString(Body);
        return form.AllKeys.OfType<string>().ToDictionary(k => k, k => form[k], StringComparer.Ordinal);
    }
}
