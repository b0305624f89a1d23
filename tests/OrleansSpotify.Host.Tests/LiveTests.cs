using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>The live hub against the real host, the fake Spotify on loopback and real SQLite.</summary>
[Collection(HostCollection.Name)]
public sealed class LiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 21, trackCount: 30);

    [Fact]
    public async Task AMemberHearsANewTrackWithinASecondAndEachNewPlayExactlyOnce()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        var alex = spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        await using var app = new HostApplication(FastPolling(spotify));
        var cookies = new System.Net.CookieContainer();
        using var browser = app.CreateBrowser(cookies);
        var me = await DemoSignIn.AsAsync(browser, "alex");
        await using var hub = app.CreateHubConnection(cookies);
        var recorder = new HubRecorder(hub);
        await hub.StartAsync(Ct);

        // A plays now and ends in 8 s (long enough to count as a play); B follows it.
        var (a, b) = TwoPlays(alex, Catalog[0], Catalog[1]);

        var first = await recorder.WaitForAsync("nowPlaying", p => Uri(p) == Catalog[0].Uri);
        Assert.Equal(me, first.AccountId);
        Assert.Equal("Alex", first.Payload.GetProperty("displayName").GetString());
        Assert.Equal("playing", first.Payload.GetProperty("state").GetString());
        Assert.Equal(Catalog[0].Name, first.Payload.GetProperty("item").GetProperty("name").GetString());

        var second = await recorder.WaitForAsync("nowPlaying", p => Uri(p) == Catalog[1].Uri, seconds: 30);
        var poll = spotify.Requests.Where(r => r.Endpoint == "currently-playing" && r.UserId == "alex" && r.At >= b.StartedAt).Min(r => r.At);
        Assert.True(second.ReceivedAt - poll < TimeSpan.FromSeconds(1), $"nowPlaying came {second.ReceivedAt - poll} after the poll");
        Assert.InRange(second.Payload.GetProperty("since").GetDateTimeOffset(), b.StartedAt.AddSeconds(-1), second.ReceivedAt);

        // A's play is committed when the track changes; history is re-read every second, and nothing comes twice.
        var added = await recorder.WaitForAsync("playsAdded", p => Plays(p).Any(x => TrackUri(x) == Catalog[0].Uri));
        Assert.Equal(me, added.AccountId);

        // History is re-read (twice at least) with A in it. Then a marker: a play that ends now shows up only in the
        // history, so the grain announces it after the re-reads; a repeated A would have come before it.
        await spotify.WaitForAsync(r => r.Endpoint == "recently-played" && r.UserId == "alex" && r.At > added.ReceivedAt, 2, TimeSpan.FromSeconds(30), "history re-read after A was announced");
        var marker = new ScriptedPlay(DateTimeOffset.UtcNow.AddSeconds(-35), Catalog[2], TimeSpan.FromSeconds(35));
        alex.AddPlay(marker);
        var markerAdded = await recorder.WaitForAsync("playsAdded", p => Plays(p).Any(x => TrackUri(x) == Catalog[2].Uri), seconds: 30);
        var announced = recorder.Of("playsAdded").TakeWhile(m => m != markerAdded).SelectMany(m => Plays(m.Payload)).ToList();
        var play = Assert.Single(announced);
        Assert.Equal(Catalog[0].Uri, TrackUri(play));
        Assert.Equal(a.EndedAt.ToUnixTimeMilliseconds(), play.GetProperty("playedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());

        // The announced play reads exactly as the plays API serves it afterwards.
        var stored = await browser.GetFromJsonAsync<JsonElement>($"/api/accounts/{me}/plays", Ct);
        Assert.Contains(stored.GetProperty("items").EnumerateArray(), item => item.GetRawText() == play.GetRawText());
    }

    [Fact]
    public async Task AShareTokenHearsOnlyItsAccountReadsNoApiAndNothingAfterItIsRevoked()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        var alex = spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        var sam = spotify.AddUser("sam", "Sam", accountId: "acc-sam");
        await using var app = new HostApplication(FastPolling(spotify));
        var alexCookies = new System.Net.CookieContainer();
        var samCookies = new System.Net.CookieContainer();
        using var alexBrowser = app.CreateBrowser(alexCookies);
        using var samBrowser = app.CreateBrowser(samCookies);
        await DemoSignIn.AsAsync(alexBrowser, "alex");
        await DemoSignIn.AsAsync(samBrowser, "sam");
        using var stranger = app.CreateBrowser();

        // Nobody: negotiate is 401 (never a redirect to the sign-in), and so is a token that does not exist.
        foreach (var query in new[] { "", "&share=nonsense", "&share=" + new string('A', 43) })
        {
            var negotiate = await stranger.PostAsync("/hubs/listening/negotiate?negotiateVersion=1" + query, null, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
            Assert.Null(negotiate.Headers.Location);
        }

        await using (var nobody = app.CreateHubConnection())
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => nobody.StartAsync(Ct));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var withRecent = await CreateTokenAsync(alexBrowser, "Blog", includeRecent: true);
        var liveOnly = await CreateTokenAsync(alexBrowser, "Forum", includeRecent: false);
        var token = withRecent.GetProperty("token").GetString()!;

        // A token is no key to the API: everything under /api/accounts (and the rest) stays 401.
        foreach (var path in new[] { "/api/accounts", "/api/accounts/acc-alex/plays", "/api/accounts/acc-alex/now-playing", "/api/accounts/acc-alex/stats/summary", "/api/me", "/api/me/share-tokens", "/api/household/now-playing", "/api/household/plays" })
        {
            var response = await stranger.GetAsync(path + "?share=" + token, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path} with a share token: {(int)response.StatusCode}");
        }

        await using var member = app.CreateHubConnection(samCookies);
        var memberRecorder = new HubRecorder(member);
        await member.StartAsync(Ct);
        await using var shared = app.CreateHubConnection(share: token);
        var sharedRecorder = new HubRecorder(shared);
        await shared.StartAsync(Ct);
        await using var embedAtSams = app.CreateHubConnection(samCookies, share: token);   // Alex's embed open in Sam's signed-in browser
        var embedAtSamsRecorder = new HubRecorder(embedAtSams);
        await embedAtSams.StartAsync(Ct);
        await using var sharedLiveOnly = app.CreateHubConnection(share: liveOnly.GetProperty("token").GetString());
        var liveOnlyRecorder = new HubRecorder(sharedLiveOnly);
        await sharedLiveOnly.StartAsync(Ct);

        TwoPlays(alex, Catalog[2], Catalog[3]);
        TwoPlays(sam, Catalog[4], Catalog[5]);

        await sharedRecorder.WaitForAsync("nowPlaying", p => Uri(p) == Catalog[3].Uri, seconds: 30);
        await sharedRecorder.WaitForAsync("playsAdded", p => Plays(p).Any(x => TrackUri(x) == Catalog[2].Uri));
        await liveOnlyRecorder.WaitForAsync("nowPlaying", p => Uri(p) == Catalog[3].Uri);
        await memberRecorder.WaitForAsync("nowPlaying", p => Uri(p) == Catalog[5].Uri, seconds: 30);
        await memberRecorder.WaitForAsync("playsAdded", p => Plays(p).Any(x => TrackUri(x) == Catalog[4].Uri));
        await memberRecorder.WaitForAsync("playsAdded", p => Plays(p).Any(x => TrackUri(x) == Catalog[2].Uri));

        // Nothing of Sam's may reach Alex's share connections: a marker of Alex's, sent after everything above, comes
        // after anything of Sam's that a connection would (wrongly) have heard.
        alex.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow, Catalog[7], TimeSpan.FromMinutes(3)));
        foreach (var connection in new[] { sharedRecorder, embedAtSamsRecorder, liveOnlyRecorder })
        {
            await connection.WaitForAsync("nowPlaying", p => Uri(p) == Catalog[7].Uri, seconds: 30);
        }

        Assert.All(sharedRecorder.Messages, m => Assert.Equal("acc-alex", m.AccountId));
        Assert.All(embedAtSamsRecorder.Messages, m => Assert.Equal("acc-alex", m.AccountId));
        Assert.NotEmpty(embedAtSamsRecorder.Messages);
        Assert.All(liveOnlyRecorder.Messages, m => Assert.Equal("acc-alex", m.AccountId));
        Assert.Empty(liveOnlyRecorder.Of("playsAdded"));
        Assert.Empty(sharedRecorder.Of("accountChanged"));
        Assert.Contains(memberRecorder.Messages, m => m.AccountId == "acc-sam");

        // Revoked: the connection is closed at once and hears nothing more; the token no longer connects.
        var revoke = await alexBrowser.DeleteAsync("/api/me/share-tokens/" + withRecent.GetProperty("id").GetString(), Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var heard = sharedRecorder.Messages.Count;
        await sharedRecorder.Closed.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        await embedAtSamsRecorder.Closed.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        alex.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow, Catalog[6], TimeSpan.FromMinutes(3)));
        await memberRecorder.WaitForAsync("nowPlaying", p => Uri(p) == Catalog[6].Uri);
        await liveOnlyRecorder.WaitForAsync("nowPlaying", p => Uri(p) == Catalog[6].Uri);
        Assert.Equal(heard, sharedRecorder.Messages.Count);

        await using (var again = app.CreateHubConnection(share: token))
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync(Ct));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/api/embed/" + token, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await samBrowser.DeleteAsync("/api/me/share-tokens/" + liveOnly.GetProperty("id").GetString(), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alexBrowser.DeleteAsync("/api/me/share-tokens/" + withRecent.GetProperty("id").GetString(), Ct)).StatusCode);
    }

    /// <summary>Polls fast so that live changes show within a second; history is re-read every second.</summary>
    internal static Dictionary<string, string?> FastPolling(FakeSpotifyServer spotify)
    {
        var settings = SignInTests.SpotifySettings(spotify);
        settings["Polling:ActiveInterval"] = "00:00:00.2";
        settings["Polling:IdleMinInterval"] = "00:00:00.5";
        settings["Polling:IdleMaxInterval"] = "00:00:00.5";
        settings["Polling:HistoryIntervalWhileActive"] = "00:00:01";
        settings["Polling:HistoryIntervalWhileIdle"] = "00:00:01";
        return settings;
    }

    /// <summary>The first item plays from 25 s ago for 33 s (a counted play ending in 8 s); the second follows it for 3 minutes.</summary>
    internal static (ScriptedPlay First, ScriptedPlay Second) TwoPlays(FakeUser user, FakeItem first, FakeItem second)
    {
        var now = DateTimeOffset.UtcNow;
        var a = new ScriptedPlay(now.AddSeconds(-25), first, TimeSpan.FromSeconds(33));
        var b = new ScriptedPlay(a.EndedAt, second, TimeSpan.FromMinutes(3));
        user.AddPlay(a);
        user.AddPlay(b);
        return (a, b);
    }

    internal static async Task<JsonElement> CreateTokenAsync(HttpClient browser, string label, bool includeRecent)
    {
        var response = await browser.PostAsJsonAsync("/api/me/share-tokens", new { label, includeRecent }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static string? Uri(JsonElement liveState) =>
        liveState.GetProperty("item") is { ValueKind: JsonValueKind.Object } item ? item.GetProperty("uri").GetString() : null;

    private static IEnumerable<JsonElement> Plays(JsonElement update) => update.GetProperty("plays").EnumerateArray();

    private static string? TrackUri(JsonElement play) => play.GetProperty("track").GetProperty("uri").GetString();
}
