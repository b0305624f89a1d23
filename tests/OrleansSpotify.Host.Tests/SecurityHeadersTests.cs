using System.Net;
using OrleansSpotify.Host.Web;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// Every response carries nosniff, a Referrer-Policy and a Content-Security-Policy; the app refuses to be framed,
/// the embed page and its SVG may be framed anywhere.
/// </summary>
public sealed class SecurityHeadersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheAppTheApiAndErrorsCarryTheHeadersAndOnlyTheEmbedIsFramable()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();

        // The dashboard: its pages, its assets, the API (answers and problems alike), the hub's negotiation.
        var index = await browser.GetStringAsync("/", Ct);
        var script = System.Text.RegularExpressions.Regex.Match(index, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        foreach (var (method, path, status) in new[]
        {
            (HttpMethod.Get, "/", HttpStatusCode.OK),
            (HttpMethod.Get, "/accounts/alex/history", HttpStatusCode.OK),
            (HttpMethod.Get, script, HttpStatusCode.OK),
            (HttpMethod.Get, "/theme.js", HttpStatusCode.OK),
            (HttpMethod.Get, "/api/info", HttpStatusCode.OK),
            (HttpMethod.Get, "/api/me", HttpStatusCode.Unauthorized),
            (HttpMethod.Get, "/api/nothing-here", HttpStatusCode.NotFound),
            (HttpMethod.Get, "/openapi/v1.json", HttpStatusCode.OK),
            (HttpMethod.Post, "/hubs/listening/negotiate?negotiateVersion=1", HttpStatusCode.Unauthorized),
            (HttpMethod.Get, "/healthz", HttpStatusCode.OK),
            (HttpMethod.Get, "/embed", HttpStatusCode.NotFound),
        })
        {
            using var response = await browser.SendAsync(new HttpRequestMessage(method, path), Ct);
            Assert.True(response.StatusCode == status, $"{method} {path}: {response.StatusCode}");
            AssertCommonHeaders(response, path);
            Assert.Equal(SecurityHeaders.App, Single(response, "Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", SecurityHeaders.App, StringComparison.Ordinal);
            Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        }

        // The embed page (a valid token or not) and its SVG: no frame-ancestors, no X-Frame-Options.
        foreach (var (path, status) in new[]
        {
            ("/embed/now-playing/some-token", HttpStatusCode.OK),
            ("/embed/now-playing/some-token.svg", HttpStatusCode.NotFound),
            ("/api/embed/some-token", HttpStatusCode.NotFound),
        })
        {
            // (An unknown token's SVG is the "not valid" card, answered 404; its data a problem.)
            using var response = await browser.GetAsync(path, Ct);
            Assert.Equal(status, response.StatusCode);
            AssertCommonHeaders(response, path);
            var policy = Single(response, "Content-Security-Policy");
            Assert.DoesNotContain("frame-ancestors", policy, StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("X-Frame-Options"), path);
            Assert.Equal(path.EndsWith(".svg", StringComparison.Ordinal) ? "default-src 'none'" : SecurityHeaders.EmbedPage, policy);
        }
    }

    [Fact]
    public void ThePolicyAllowsOnlyWhatTheDashboardNeeds()
    {
        var directives = SecurityHeaders.App.Split(';', StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.Equal("'self'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self'", directives["style-src"]);
        Assert.Equal("'self'", directives["connect-src"]);
        Assert.Equal("'self' data: https:", directives["img-src"]);
        Assert.Equal("'none'", directives["object-src"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.DoesNotContain("unsafe", SecurityHeaders.App, StringComparison.Ordinal);
        Assert.Equal(SecurityHeaders.EmbedPage, SecurityHeaders.App.Replace("; frame-ancestors 'none'", "", StringComparison.Ordinal));
    }

    private static void AssertCommonHeaders(HttpResponseMessage response, string path)
    {
        Assert.True(Single(response, "X-Content-Type-Options") == "nosniff", $"{path}: X-Content-Type-Options");
        Assert.True(Single(response, "Referrer-Policy") == "strict-origin-when-cross-origin", $"{path}: Referrer-Policy");
    }

    private static string Single(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.TryGetValues(name, out var content) ? content : []);
}
