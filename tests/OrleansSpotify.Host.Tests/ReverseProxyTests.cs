using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Host.Proxy;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The Host on Kestrel behind a (simulated) reverse proxy on loopback: forwarded headers from a trusted peer make
/// sign-in, cookies and redirects follow the public origin and path prefix; from an untrusted peer they are ignored.
/// (The same through Debian's real Caddy over https: <see cref="CaddyTests"/>.)
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ReverseProxyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AtTheRootOfAnHttpsNameSignInCompletesWithoutALoopAndWithSecureCookies()
    {
        await using var spotify = await StartSpotifyAsync();
        await using var host = KestrelHost.Start(Settings(spotify, "https://music.example.lan/auth/callback"));
        using var browser = new ProxiedBrowser(host.Origin, Forwarded("music.example.lan"));

        var (signedIn, callback) = await SignInAsync(browser, spotify);

        Assert.Equal("https://music.example.lan/auth/callback", callback.GetLeftPart(UriPartial.Path));
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        var member = browser.Cookies["orleans-spotify"];
        Assert.True(member.Secure);
        Assert.True(member.HttpOnly);
        Assert.Equal("/", member.Path.ToString());
        using var me = await browser.GetAsync("/api/me", Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("acc-alex", JsonDocument.Parse(await me.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task UnderASubPathEveryRedirectAndCookiePathKeepsThePrefix()
    {
        await using var spotify = await StartSpotifyAsync();
        await using var host = KestrelHost.Start(Settings(spotify, "https://home.example/music/auth/callback"));
        using var browser = new ProxiedBrowser(host.Origin, Forwarded("home.example", prefix: "/music"));

        // Opened under another name (here the Host's own address), sign-in first goes to the login beside the callback.
        using var direct = new ProxiedBrowser(host.Origin, new Dictionary<string, string>());
        using var elsewhere = await direct.GetAsync("/auth/login", Ct);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal("https://home.example/music/auth/login", elsewhere.Headers.Location!.AbsoluteUri);

        var (signedIn, callback) = await SignInAsync(browser, spotify, flowCookiePath: "/music/auth");

        Assert.Equal("https://home.example/music/auth/callback", callback.GetLeftPart(UriPartial.Path));
        Assert.Equal("/music/", signedIn.Headers.Location!.OriginalString);
        var member = browser.Cookies["orleans-spotify"];
        Assert.True(member.Secure);
        Assert.Equal("/music", member.Path.ToString());
        using var me = await browser.GetAsync("/api/me", Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task ForwardedHeadersFromAPeerOutsideTheTrustedNetworksAreIgnored()
    {
        await using var spotify = await StartSpotifyAsync();
        var settings = Settings(spotify, "https://music.example.lan/auth/callback");
        settings["Proxy:TrustedNetworks"] = "10.0.0.0/8";
        await using var host = KestrelHost.Start(settings);
        using var browser = new ProxiedBrowser(host.Origin, Forwarded("music.example.lan", prefix: "/music"));

        using var login = await browser.GetAsync("/auth/login", Ct);

        // The Host saw plain http from 127.0.0.1: not the callback's origin, so no flow was started.
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("https://music.example.lan/auth/login", login.Headers.Location!.AbsoluteUri);
        Assert.Empty(browser.Cookies);
    }

    [Theory]
    [InlineData("/../admin")]
    [InlineData("/music/%2e%2e/x")]
    [InlineData("music")]
    [InlineData("/mu\tsic")]
    [InlineData("/music?x=1")]
    public async Task AnInvalidForwardedPrefixIsIgnored(string prefix)
    {
        await using var spotify = await StartSpotifyAsync();
        await using var host = KestrelHost.Start(Settings(spotify, "https://music.example.lan/auth/callback"));
        using var browser = new ProxiedBrowser(host.Origin, Forwarded("music.example.lan", prefix));

        using var login = await browser.GetAsync("/auth/login", Ct);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith(spotify.AccountsBaseUrl.AbsoluteUri, login.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("/auth", browser.Cookies[SignInFlowProtector.CookieName].Path.ToString());
    }

    [Theory]
    [InlineData("/music", "/music")]
    [InlineData("/music/", "/music")]
    [InlineData("/home/music", "/home/music")]
    [InlineData("/", "")]
    [InlineData("/../x", null)]
    [InlineData("/a/./b", null)]
    [InlineData("/a/%2E%2E", null)]
    [InlineData("//evil.example", null)]
    [InlineData("music", null)]
    [InlineData("", null)]
    [InlineData("/a\u0000b", null)]
    public void PrefixesAreNormalizedOrRejected(string value, string? expected) =>
        Assert.Equal(expected, ForwardedPrefix.Normalize(value));

    [Fact]
    public void TrustedNetworksDefaultToLoopbackAndPrivateNetworksAndABadEntryIsNamed()
    {
        var defaults = new ReverseProxyOptions().ParseTrustedNetworks().Select(n => n.ToString()).ToList();
        var validator = new ReverseProxyOptionsValidator();
        var bad = validator.Validate(null, new ReverseProxyOptions { TrustedNetworks = "10.0.0.0/8, 192.168.1.300/24" });
        var single = new ReverseProxyOptions { TrustedNetworks = "192.168.1.2" }.ParseTrustedNetworks();

        Assert.Equal(["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"], defaults);
        Assert.True(bad.Failed);
        Assert.Contains("Proxy__TrustedNetworks", bad.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("192.168.1.300/24", bad.FailureMessage, StringComparison.Ordinal);
        Assert.Equal("192.168.1.2/32", Assert.Single(single).ToString());
    }

    [Fact]
    public async Task ABadTrustedNetworkStopsTheHostWithAMessageNamingTheKey()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = KestrelHost.Start(new Dictionary<string, string?>
            {
                ["Spotify:ClientId"] = "x",
                ["Proxy:TrustedNetworks"] = "not-a-network",
            });
        });

        var options = Assert.IsType<OptionsValidationException>(exception.GetBaseException());
        Assert.Contains("Proxy__TrustedNetworks: 'not-a-network'", options.Message, StringComparison.Ordinal);
    }

    /// <summary>Login, the fake's (auto-approving) authorize page, then the callback through the proxy.</summary>
    private static async Task<(HttpResponseMessage SignedIn, Uri Callback)> SignInAsync(ProxiedBrowser browser, FakeSpotifyServer spotify, string flowCookiePath = "/auth")
    {
        using var outside = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var login = await browser.GetAsync("/auth/login", Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var authorize = login.Headers.Location!;
        Assert.StartsWith(spotify.AccountsBaseUrl.AbsoluteUri + "authorize?", authorize.AbsoluteUri, StringComparison.Ordinal);
        var flow = browser.Cookies[SignInFlowProtector.CookieName];
        Assert.True(flow.Secure);
        Assert.Equal(flowCookiePath, flow.Path.ToString());

        using var approved = await outside.GetAsync(authorize, Ct);
        var callback = approved.Headers.Location!;
        var path = callback.AbsolutePath.StartsWith("/music", StringComparison.Ordinal) ? callback.AbsolutePath["/music".Length..] : callback.AbsolutePath;
        var signedIn = await browser.GetAsync(path + callback.Query, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.False(browser.Cookies.ContainsKey(SignInFlowProtector.CookieName));
        return (signedIn, callback);
    }

    private static Dictionary<string, string> Forwarded(string host, string? prefix = null)
    {
        var headers = new Dictionary<string, string>
        {
            ["X-Forwarded-Proto"] = "https",
            ["X-Forwarded-Host"] = host,
            ["X-Forwarded-For"] = "203.0.113.7",
        };
        if (prefix is not null)
        {
            headers["X-Forwarded-Prefix"] = prefix;
        }

        return headers;
    }

    private static async Task<FakeSpotifyServer> StartSpotifyAsync()
    {
        var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions { AutoApproveUserId = "alex" }, TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        return spotify;
    }

    private static Dictionary<string, string?> Settings(FakeSpotifyServer spotify, string redirectUri)
    {
        var settings = SignInTests.SpotifySettings(spotify);
        settings["Spotify:RedirectUri"] = redirectUri;
        return settings;
    }
}
