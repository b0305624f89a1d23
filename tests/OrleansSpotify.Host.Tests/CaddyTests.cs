using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Host.Demo;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The Host (demo mode, real Kestrel) behind Debian's real Caddy over https with <c>tls internal</c>: one site at the
/// root and one that serves it under <c>/music</c> (<c>handle_path</c> + <c>X-Forwarded-Prefix</c>): the site blocks
/// of the shipped deploy/Caddyfile, the sub-path variant uncommented. The whole sign-in (the fake's chooser) and the live hub over wss go through Caddy.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CaddyTests(CaddyTests.Site site) : IClassFixture<CaddyTests.Site>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public Task SignInAndLiveUpdatesWorkThroughCaddyAtTheRoot() => SignInAndListenAsync(site.RootOrigin, "", "alex");

    [Fact]
    public Task SignInAndLiveUpdatesWorkThroughCaddyUnderASubPath() => SignInAndListenAsync(site.SubPathOrigin, "/music", "robin");

    private async Task SignInAndListenAsync(Uri origin, string prefix, string userId)
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(site.Handler(cookies)) { BaseAddress = origin };
        var member = site.Fake.GetUser(userId);

        // 1. Login: straight to the Host's chooser page under the prefix (no redirect to itself), a Secure flow cookie.
        using var login = await browser.GetAsync(prefix + "/auth/login", Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var chooserUri = new Uri(new Uri(origin, prefix + "/auth/login"), login.Headers.Location!);
        Assert.Equal(new Uri(origin, prefix + DemoSignInPage.AuthorizePath).AbsoluteUri, chooserUri.GetLeftPart(UriPartial.Path));
        var flow = SetCookie(login, SignInFlowProtector.CookieName);
        Assert.True(flow.Secure, "the sign-in flow cookie is Secure on https");
        Assert.Equal(prefix + "/auth", flow.Path.ToString());

        // 2. The chooser (through Caddy and the Host), then the member's link: back to the callback on the public origin.
        using var chooser = await browser.GetAsync(chooserUri, Ct);
        Assert.Equal(HttpStatusCode.OK, chooser.StatusCode);
        var html = await chooser.Content.ReadAsStringAsync(Ct);
        var link = System.Text.RegularExpressions.Regex.Match(html, $"href=\"([^\"]*fake_user={member.Id})\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        Assert.StartsWith("authorize?", link, StringComparison.Ordinal);
        using var chosen = await browser.GetAsync(new Uri(chooserUri, link), Ct);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var callback = chosen.Headers.Location!;
        Assert.Equal(new Uri(origin, prefix + "/auth/callback").AbsoluteUri, callback.GetLeftPart(UriPartial.Path));

        // 3. The callback signs in (Secure member cookie on the prefix) and lands on the prefixed dashboard.
        using var signedIn = await browser.GetAsync(callback, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(prefix + "/", signedIn.Headers.Location!.OriginalString);
        var memberCookie = SetCookie(signedIn, "orleans-spotify");
        Assert.True(memberCookie.Secure, "the member cookie is Secure on https");
        Assert.Equal(prefix.Length == 0 ? "/" : prefix, memberCookie.Path.ToString());
        using var me = await browser.GetAsync(prefix + "/api/me", Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var accountId = JsonDocument.Parse(await me.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString();
        Assert.Equal(member.AccountId is { Length: > 0 } id ? id : member.Id, accountId);

        // 4. The hub over wss through Caddy with the member's cookie: a new track is heard as nowPlaying.
        var hubUri = new Uri(origin, prefix + "/hubs/listening");
        await using var hub = new HubConnectionBuilder()
            .WithUrl(hubUri, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.Cookies = cookies;
                options.HttpMessageHandlerFactory = _ => site.Handler(cookies);
                options.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => site.Caddy.Validate(certificate, chain, errors);
            })
            .Build();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync(Ct);
        Assert.Equal(HubConnectionState.Connected, hub.State);

        var track = NotRecentlyPlayed(member);
        member.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow.AddSeconds(-1), track, track.Duration));
        var heard = await recorder.WaitForAsync("nowPlaying", p => p.GetProperty("accountId").GetString() == accountId && HubMessageUri(p) == track.Uri, seconds: 90);
        Assert.Equal(track.Name, heard.Payload.GetProperty("item").GetProperty("name").GetString());
    }

    private static string? HubMessageUri(JsonElement payload) =>
        payload.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object ? item.GetProperty("uri").GetString() : null;

    /// <summary>A track of the member's history that they have not played in the last day (so its start is news).</summary>
    private static FakeTrack NotRecentlyPlayed(FakeUser member)
    {
        var since = DateTimeOffset.UtcNow.AddDays(-1);
        var recent = member.Plays.Where(p => p.EndedAt > since).Select(p => p.Item).OfType<FakeTrack>().Select(t => t.Uri).ToHashSet(StringComparer.Ordinal);
        return member.Plays.Select(p => p.Item).OfType<FakeTrack>().First(t => !recent.Contains(t.Uri) && t.Duration > TimeSpan.FromMinutes(2));
    }

    private static SetCookieHeaderValue SetCookie(HttpResponseMessage response, string name)
    {
        var values = response.Headers.TryGetValues("Set-Cookie", out var found) ? found.ToList() : [];
        return SetCookieHeaderValue.ParseList(values).FirstOrDefault(c => c.Name.Equals(name, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No '{name}' cookie set; Set-Cookie: {string.Join(" | ", values)}");
    }

    /// <summary>The demo Host on Kestrel and one Caddy in front of it with two https sites (root and /music).</summary>
    public sealed class Site : IAsyncLifetime
    {
        private KestrelHost? _host;

        public CaddyServer Caddy { get; private set; } = null!;

        public FakeSpotifyServer Fake { get; private set; } = null!;

        public Uri RootOrigin { get; private set; } = null!;

        public Uri SubPathOrigin { get; private set; } = null!;

        public HttpMessageHandler Handler(CookieContainer cookies) => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies,
            UseCookies = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Caddy.Validate(certificate, chain, errors) },
        };

        public async ValueTask InitializeAsync()
        {
            var ct = TestContext.Current.CancellationToken;
            _host = KestrelHost.Start(new Dictionary<string, string?>
            {
                ["Demo"] = "true",
                ["Polling:ActiveInterval"] = "00:00:01",
                ["Polling:IdleMinInterval"] = "00:00:01",
                ["Polling:IdleMaxInterval"] = "00:00:02",
            });
            Fake = await _host.Services.GetRequiredService<DemoSpotify>().Server.WaitAsync(TimeSpan.FromSeconds(60), ct);

            var rootPort = KestrelHost.FreePort();
            var subPathPort = KestrelHost.FreePort();
            RootOrigin = new Uri($"https://127.0.0.1:{rootPort}/");
            SubPathOrigin = new Uri($"https://127.0.0.1:{subPathPort}/");
            Caddy = await CaddyServer.StartAsync(
                DeployCaddyfileSites(subPathPort),
                KestrelHost.FreePort(),
                "127.0.0.1",
                new Dictionary<string, string>
                {
                    ["ORLEANS_SPOTIFY_SITE"] = RootOrigin.GetLeftPart(UriPartial.Authority),
                    ["ORLEANS_SPOTIFY_UPSTREAM"] = $"127.0.0.1:{_host.Port}",
                },
                ct);
            await WaitForHttpsAsync(new Uri(RootOrigin, "/healthz"), ct);
            await WaitForHttpsAsync(new Uri(SubPathOrigin, "/music/healthz"), ct);
        }

        /// <summary>
        /// The site blocks of the shipped deploy/Caddyfile (its global options are the test's): the root site as it is
        /// (its name and upstream from the environment), and the commented sub-path variant, uncommented, on
        /// <paramref name="subPathPort"/> instead of home.example.
        /// </summary>
        private static string DeployCaddyfileSites(int subPathPort)
        {
            var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "deploy", "Caddyfile"));
            var rootStart = Array.FindIndex(lines, l => l.StartsWith("{$ORLEANS_SPOTIFY_SITE", StringComparison.Ordinal));
            var rootEnd = Array.FindIndex(lines, rootStart, l => l == "}");
            var subStart = Array.FindIndex(lines, l => l.StartsWith("# home.example {", StringComparison.Ordinal));
            var subEnd = Array.FindIndex(lines, subStart, l => l == "# }");
            Assert.True(rootStart >= 0 && rootEnd > rootStart && subStart > rootEnd && subEnd > subStart, "deploy/Caddyfile has a root site and a commented home.example variant");
            var root = lines[rootStart..(rootEnd + 1)];
            var sub = lines[subStart..(subEnd + 1)]
                .Select(l => l.Length > 1 ? l[2..] : "")
                .Select(l => l.Replace("home.example {", $"https://127.0.0.1:{subPathPort} {{", StringComparison.Ordinal));
            return string.Join('\n', root) + "\n\n" + string.Join('\n', sub) + "\n";
        }

        private static string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "OrleansSpotify.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"OrleansSpotify.sln not found above {AppContext.BaseDirectory}.");
        }

        /// <summary>The first successful https request through Caddy (its listener may lag the certificate's log line).</summary>
        private async Task WaitForHttpsAsync(Uri uri, CancellationToken cancellationToken)
        {
            using var client = new HttpClient(Handler(new CookieContainer()));
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var response = await client.GetAsync(uri, cancellationToken);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    return;
                }
                catch (HttpRequestException) when (attempt < 50)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Caddy is not null)
            {
                await Caddy.DisposeAsync();
            }

            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }
}
