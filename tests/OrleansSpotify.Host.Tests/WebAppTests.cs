using System.Net;

namespace OrleansSpotify.Host.Tests;

/// <summary>The built dashboard is served: its pages for the app's own URLs, problem details for unknown server paths.</summary>
public sealed class WebAppTests
{
    [Fact]
    public async Task TheAppIsServedAtItsOwnUrlsAndUnknownServerPathsAreProblems()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        var ct = TestContext.Current.CancellationToken;
        using var browser = app.CreateBrowser();

        foreach (var path in new[] { "/", "/accounts", "/accounts/alex/history" })
        {
            using var page = await browser.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<div id=\"root\"", await page.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        // The embed page is a page of its own (embed.html, its relative links made absolute at the root), framable
        // anywhere.
        using var embed = await browser.GetAsync("/embed/now-playing/some-token", ct);
        Assert.Equal(HttpStatusCode.OK, embed.StatusCode);
        Assert.False(embed.Headers.Contains("X-Frame-Options"));
        var built = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot", "embed.html"), ct);
        Assert.Contains("src=\"./assets/", built, StringComparison.Ordinal);
        Assert.Equal(built.Replace("=\"./", "=\"/", StringComparison.Ordinal), await embed.Content.ReadAsStringAsync(ct));

        foreach (var path in new[] { "/api/nothing-here", "/hubs/nothing", "/auth/nothing", "/missing.js", "/index.html" })
        {
            using var missing = await browser.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }

        // Hashed assets are cached for good; pages are revalidated.
        var index = await browser.GetStringAsync("/", ct);
        var asset = System.Text.RegularExpressions.Regex.Match(index, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        using var script = await browser.GetAsync(asset, ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("immutable", script.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var again = await browser.GetAsync("/", ct);
        Assert.True(again.Headers.CacheControl?.NoCache);
        Assert.Contains("<meta name=\"base-path\" content=\"\"", await again.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
