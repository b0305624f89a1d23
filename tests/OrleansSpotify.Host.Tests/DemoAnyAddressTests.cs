using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Host.Demo;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// Demo mode signs in from whatever address the browser used: here a second loopback address (127.0.0.2, as another
/// machine on the LAN would be), with the fake's account chooser served through the Host.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DemoAnyAddressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABrowserOnAnotherAddressSignsInThroughTheHostsOwnChooserPage()
    {
        await using var host = KestrelHost.Start(new Dictionary<string, string?> { ["Demo"] = "true" }, IPAddress.Parse("127.0.0.2"));
        var fake = await host.Services.GetRequiredService<DemoSpotify>().Server.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var origin = host.Origin;
        using var browser = host.CreateSocketClient();

        // 1. Login sends the browser to the Host's own sign-in page, carrying a redirect URI on the address it used.
        using var login = await browser.GetAsync("/auth/login", Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var chooserUri = new Uri(origin, login.Headers.Location!);
        Assert.Equal(new Uri(origin, DemoSignInPage.AuthorizePath).AbsoluteUri, chooserUri.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(chooserUri.Query);
        Assert.Equal(new Uri(origin, "/auth/callback").AbsoluteUri, query["redirect_uri"]);

        // 2. The chooser page comes from the Host (not the fake's loopback port), with relative links.
        using var chooser = await browser.GetAsync(chooserUri, Ct);
        Assert.Equal(HttpStatusCode.OK, chooser.StatusCode);
        Assert.Equal(DemoSignInPage.PagePolicy, Assert.Single(chooser.Headers.GetValues("Content-Security-Policy")));
        var html = await chooser.Content.ReadAsStringAsync(Ct);
        var member = fake.Users[0];
        var link = ExtractLink(html, "Sign in as " + member.DisplayName);
        Assert.StartsWith("authorize?", link, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.BaseUri.Authority, html, StringComparison.Ordinal);

        // 3. Choosing the member goes back to the callback on 127.0.0.2, which signs the browser in.
        using var chosen = await browser.GetAsync(new Uri(chooserUri, link), Ct);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var callback = chosen.Headers.Location!;
        Assert.Equal(new Uri(origin, "/auth/callback").AbsoluteUri, callback.GetLeftPart(UriPartial.Path));
        using var signedIn = await browser.GetAsync(callback, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        using var me = await browser.GetAsync("/api/me", Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var id = JsonDocument.Parse(await me.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString();
        Assert.Equal(string.IsNullOrEmpty(member.AccountId) ? member.Id : member.AccountId, id);

        // 4. Behind a proxy (from a trusted peer) the redirect URI is the public origin and its prefix.
        using var proxied = new ProxiedBrowser(origin, new Dictionary<string, string>
        {
            ["X-Forwarded-Proto"] = "https",
            ["X-Forwarded-Host"] = "music.example.lan:8443",
            ["X-Forwarded-Prefix"] = "/music",
        });
        using var proxiedLogin = await proxied.GetAsync("/auth/login", Ct);
        var proxiedChooser = proxiedLogin.Headers.Location!.OriginalString;
        Assert.StartsWith("/music" + DemoSignInPage.AuthorizePath + "?", proxiedChooser, StringComparison.Ordinal);
        Assert.Equal("https://music.example.lan:8443/music/auth/callback", System.Web.HttpUtility.ParseQueryString(proxiedChooser[proxiedChooser.IndexOf('?', StringComparison.Ordinal)..])["redirect_uri"]);
        Assert.True(proxied.Cookies[SignInFlowProtector.CookieName].Secure);
        Assert.Equal("/music/auth", proxied.Cookies[SignInFlowProtector.CookieName].Path.ToString());

        // 5. A request without a host (HTTP/1.1 allows an empty Host) makes no redirect URI: a clear 400, not a 500.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(host.Address, host.Port, Ct);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync("GET /auth/login HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n"u8.ToArray(), Ct);
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync(Ct);
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("No usable address", answer, StringComparison.Ordinal);
    }

    private static string ExtractLink(string html, string text)
    {
        var end = html.IndexOf("\">" + System.Net.WebUtility.HtmlEncode(text) + "</a>", StringComparison.Ordinal);
        Assert.True(end > 0, $"No link '{text}' in:\n{html}");
        var start = html.LastIndexOf("href=\"", end, StringComparison.Ordinal) + "href=\"".Length;
        return System.Net.WebUtility.HtmlDecode(html[start..end]);
    }
}
