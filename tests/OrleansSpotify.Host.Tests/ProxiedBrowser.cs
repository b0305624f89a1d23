using Microsoft.Net.Http.Headers;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// A browser behind a reverse proxy, played by the test: every request to the Host's real socket carries the
/// <c>X-Forwarded-*</c> headers a proxy would add. Cookies are kept by name (the Host sets them <c>Secure</c> for
/// the https public origin, which a cookie container would not send over the test's plain http hop).
/// </summary>
internal sealed class ProxiedBrowser(Uri hostOrigin, IReadOnlyDictionary<string, string> forwarded) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = hostOrigin };

    public Dictionary<string, SetCookieHeaderValue> Cookies { get; } = new(StringComparer.Ordinal);

    public async Task<HttpResponseMessage> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        foreach (var (name, value) in forwarded)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (Cookies.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", Cookies.Values.Select(c => $"{c.Name}={c.Value}")));
        }

        var response = await _client.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var cookie in SetCookieHeaderValue.ParseList([.. values]))
            {
                if (cookie.Expires is { } expires && expires < DateTimeOffset.UtcNow)
                {
                    Cookies.Remove(cookie.Name.ToString());
                }
                else
                {
                    Cookies[cookie.Name.ToString()] = cookie;
                }
            }
        }

        return response;
    }

    public void Dispose() => _client.Dispose();
}
