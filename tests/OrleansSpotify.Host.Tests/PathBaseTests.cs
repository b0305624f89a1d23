using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Web;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// <c>PathBase=/music</c>: the dashboard's pages, assets and API, sign-in (redirects and cookies) and share links all
/// live under the sub-path.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class PathBaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePagesAssetsAndApiAreServedUnderThePathBase()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true", ["PathBase"] = "/music" });
        using var browser = app.CreateBrowser();

        // Every app URL, deep client-side routes included, is index.html made for /music: its assets, and the base
        // path the app builds its API, hub and sign-in URLs from.
        foreach (var path in new[] { "/music", "/music/", "/music/accounts", "/music/accounts/alex/history" })
        {
            using var page = await browser.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.True(page.Headers.CacheControl?.NoCache, path);
            var html = await page.Content.ReadAsStringAsync(Ct);
            Assert.Contains("<meta name=\"base-path\" content=\"/music\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("=\"./", html, StringComparison.Ordinal);
            Assert.DoesNotMatch(LocalLink(), html.Replace("=\"/music/", "", StringComparison.Ordinal));
        }

        var index = await browser.GetStringAsync("/music/", Ct);
        var links = LocalLink().Matches(index).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains(links, l => l.StartsWith("/music/assets/", StringComparison.Ordinal) && l.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(links, l => l.StartsWith("/music/assets/", StringComparison.Ordinal) && l.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains("/music/theme.js", links);
        Assert.Contains("/music/favicon.svg", links);
        foreach (var link in links)
        {
            using var asset = await browser.GetAsync(link, Ct);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"{link}: {asset.StatusCode}");
            Assert.Contains(
                link.StartsWith("/music/assets/", StringComparison.Ordinal) ? "immutable" : "no-cache",
                asset.Headers.CacheControl?.ToString(),
                StringComparison.Ordinal);
        }

        // The embed page too, with its own assets under /music.
        using var embed = await browser.GetAsync("/music/embed/now-playing/some-token", Ct);
        Assert.Equal(HttpStatusCode.OK, embed.StatusCode);
        var embedHtml = await embed.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<meta name=\"base-path\" content=\"/music\"", embedHtml, StringComparison.Ordinal);
        Assert.Matches("src=\"/music/assets/embed-[^\"]+\\.js\"", embedHtml);

        // The API and the problem pages answer under the prefix; the built HTML files are never served raw.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/music/api/info", Ct)).StatusCode);
        foreach (var path in new[] { "/music/api/nothing-here", "/music/index.html", "/music/embed.html", "/index.html" })
        {
            using var missing = await browser.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }

        // Outside the prefix the service still answers at the root (health probes, a proxy that strips the prefix).
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Contains("<meta name=\"base-path\" content=\"\"", await browser.GetStringAsync("/", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInRedirectsCookiesAndShareLinksStayUnderThePathBase()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions { AutoApproveUserId = "alex" }, TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        var settings = SignInTests.SpotifySettings(spotify);
        settings["PathBase"] = "/music";
        settings["Spotify:RedirectUri"] = new Uri(HostApplication.Origin, "/music/auth/callback").AbsoluteUri;
        await using var app = new HostApplication(settings);
        using var browser = app.CreateBrowser();
        using var outside = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        // A browser on another origin is first sent to the redirect URI's origin, under the prefix.
        using (var elsewhere = app.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("http://localhost") }))
        {
            using var moved = await elsewhere.GetAsync("/music/auth/login", Ct);
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
            Assert.Equal("http://127.0.0.1/music/auth/login", moved.Headers.Location!.AbsoluteUri);
        }

        using var login = await browser.GetAsync("/music/auth/login", Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var flowCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("path=/music/auth", flowCookie, StringComparison.OrdinalIgnoreCase);

        var callback = (await outside.GetAsync(login.Headers.Location!, Ct)).Headers.Location!;
        Assert.Equal("/music/auth/callback", callback.AbsolutePath);
        using var signedIn = await browser.GetAsync(callback.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/music/", signedIn.Headers.Location!.OriginalString);
        var cookies = signedIn.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith("orleans-spotify=", StringComparison.Ordinal) && c.Contains("path=/music", StringComparison.OrdinalIgnoreCase));

        var me = await browser.GetFromJsonAsync<JsonElement>("/music/api/me", Ct);
        Assert.Equal("acc-alex", me.GetProperty("id").GetString());

        // A share link names the page and the SVG under the prefix; both answer there.
        using var create = new HttpRequestMessage(HttpMethod.Post, "/music/api/me/share-tokens") { Content = JsonContent.Create(new { label = "Blog" }) };
        create.Headers.Add("Origin", HostApplication.Origin.GetLeftPart(UriPartial.Authority));
        using var created = await browser.SendAsync(create, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var embedUrl = token.GetProperty("embedUrl").GetString()!;
        var svgUrl = token.GetProperty("svgUrl").GetString()!;
        Assert.StartsWith("/music/embed/now-playing/", embedUrl, StringComparison.Ordinal);
        Assert.Equal(embedUrl + ".svg", svgUrl);
        Assert.Contains("<meta name=\"base-path\" content=\"/music\"", await browser.GetStringAsync(embedUrl, Ct), StringComparison.Ordinal);
        using var svg = await browser.GetAsync(svgUrl, Ct);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);

        // Signing out comes back to the dashboard under the prefix.
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/music/auth/logout");
        logout.Headers.Add("Origin", HostApplication.Origin.GetLeftPart(UriPartial.Authority));
        using var signedOut = await browser.SendAsync(logout, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/music/", signedOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/music/api/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task APathBaseSetBeforeTheAppIsHonouredLikePathBase()
    {
        // A stand-in for a trusted proxy's X-Forwarded-Prefix: a middleware in front of the app that moves the
        // prefix into Request.PathBase (the path arrives stripped, as a proxy with strip_prefix sends it).
        await using var host = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        await using var app = host.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddTransient<IStartupFilter, PrefixFromHeader>()));
        using var browser = app.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = HostApplication.Origin });
        browser.DefaultRequestHeaders.Add(PrefixFromHeader.Header, "/proxied");

        var html = await browser.GetStringAsync("/accounts/alex", Ct);
        Assert.Contains("<meta name=\"base-path\" content=\"/proxied\"", html, StringComparison.Ordinal);
        Assert.Matches("src=\"/proxied/assets/index-[^\"]+\\.js\"", html);
        Assert.Contains("<meta name=\"base-path\" content=\"/proxied\"", await browser.GetStringAsync("/embed/now-playing/t", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/info", Ct)).StatusCode);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        logout.Headers.Add("Origin", HostApplication.Origin.GetLeftPart(UriPartial.Authority));
        using var signedOut = await browser.SendAsync(logout, Ct);
        Assert.Equal("/proxied/", signedOut.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("music", "must start with '/'")]
    [InlineData("/music/", "must not end with '/'")]
    [InlineData("/", "leave PathBase empty")]
    [InlineData("/a/../b", "'..'")]
    [InlineData("/music//x", "between single '/'")]
    [InlineData("/my music", "letters, digits")]
    [InlineData("/music?x=1", "letters, digits")]
    public async Task AnInvalidPathBaseFailsAtStartUpNamingTheKey(string value, string expected)
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true", ["PathBase"] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateBrowser());

        var message = error.ToString();
        Assert.Contains($"PathBase '{value}'", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/music")]
    [InlineData("/home/music-stats")]
    [InlineData("/v1.2/~me")]
    public void AValidPathBaseIsAccepted(string? value) =>
        Assert.True(new PathBaseValidator().Validate(null, new PathBaseOptions { PathBase = value }).Succeeded);

    [Fact]
    public void APageIsRenderedForWhicheverPathBaseTheRequestHas()
    {
        const string built = "<head><meta name=\"base-path\" content=\"\" /><link rel=\"icon\" href=\"./favicon.svg\" />"
            + "<script src=\"./theme.js\"></script><script type=\"module\" crossorigin src=\"./assets/index-1.js\"></script></head>"
            + "<body><a href=\"#main\">Skip</a><p>Paths like ./this stay text.</p></body>";

        // From PathBase or a trusted proxy's X-Forwarded-Prefix alike: the request's PathBase, escaped and HTML-encoded.
        Assert.Equal(
            "<head><meta name=\"base-path\" content=\"/music\" /><link rel=\"icon\" href=\"/music/favicon.svg\" />"
            + "<script src=\"/music/theme.js\"></script><script type=\"module\" crossorigin src=\"/music/assets/index-1.js\"></script></head>"
            + "<body><a href=\"#main\">Skip</a><p>Paths like ./this stay text.</p></body>",
            AppPage.Render(built, "/music"));
        Assert.Contains("src=\"/assets/index-1.js\"", AppPage.Render(built, PathString.Empty), StringComparison.Ordinal);
        Assert.Contains("content=\"/my%20music%22x\"", AppPage.Render(built, "/my music\"x"), StringComparison.Ordinal);
        Assert.Null(AppPage.Render("<head><script src=\"./a.js\"></script></head>", "/music"));
    }

    [GeneratedRegex("(?:src|href)=\"(?<url>/[^\"]*)\"")]
    private static partial Regex LocalLink();
}

/// <summary>Sets Request.PathBase from <see cref="Header"/> before anything else runs.</summary>
internal sealed class PrefixFromHeader : IStartupFilter
{
    public const string Header = "X-Test-Prefix";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers[Header].ToString() is { Length: > 0 } prefix)
            {
                context.Request.PathBase = new PathString(prefix);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
