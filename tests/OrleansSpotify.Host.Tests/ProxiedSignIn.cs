using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Net.Http.Headers;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Host.Demo;

namespace OrleansSpotify.Host.Tests;

/// <summary>The whole demo sign-in and the live hub through a real reverse proxy over https (Caddy, nginx).</summary>
internal static class ProxiedSignIn
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Signs a demo member in at <paramref name="origin"/> + <paramref name="prefix"/> (https through a proxy) and
    /// listens on the hub over wss until a track the test starts on the fake is heard as <c>nowPlaying</c>.
    /// </summary>
    public static async Task SignInAndListenAsync(
        Uri origin,
        string prefix,
        FakeUser member,
        Func<CookieContainer, HttpMessageHandler> handler,
        Func<X509Certificate?, X509Chain?, SslPolicyErrors, bool> validate)
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(handler(cookies)) { BaseAddress = origin };

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
                options.HttpMessageHandlerFactory = _ => handler(cookies);
                options.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => validate(certificate, chain, errors);
            })
            .Build();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync(Ct);
        Assert.Equal(HubConnectionState.Connected, hub.State);

        var track = NotRecentlyPlayed(member);
        member.TakeOver(new ScriptedPlay(DateTimeOffset.UtcNow.AddSeconds(-1), track, track.Duration)); // the demo script's next track would replace it
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

}
