using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// A member who keeps their listening private (sharing off): their live state, play count and plays reach only
/// them and their own share tokens, over HTTP and over the hub, and switching takes effect with the next event.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class PrivateMemberTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 57, trackCount: 20);

    [Fact]
    public async Task APrivateMembersListeningReachesOnlyThemAndTheirShareTokens()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        var alex = spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        var robin = spotify.AddUser("robin", "Robin", accountId: "acc-robin");
        await using var app = new HostApplication(LiveTests.FastPolling(spotify));
        var alexCookies = new CookieContainer();
        var robinCookies = new CookieContainer();
        using var alexBrowser = app.CreateBrowser(alexCookies);
        using var robinBrowser = app.CreateBrowser(robinCookies);
        using var stranger = app.CreateBrowser();
        await DemoSignIn.AsAsync(alexBrowser, "alex");
        await DemoSignIn.AsAsync(robinBrowser, "robin");
        Assert.Equal(HttpStatusCode.OK, (await robinBrowser.PutAsJsonAsync("/api/me/sharing", new { shareStats = false }, Ct)).StatusCode);
        var token = (await LiveTests.CreateTokenAsync(robinBrowser, "Blog", includeRecent: true)).GetProperty("token").GetString()!;

        await using var alexHub = app.CreateHubConnection(alexCookies);
        var alexHears = new HubRecorder(alexHub);
        await alexHub.StartAsync(Ct);
        await using var robinHub = app.CreateHubConnection(robinCookies);
        var robinHears = new HubRecorder(robinHub);
        await robinHub.StartAsync(Ct);
        await using var embed = app.CreateHubConnection(share: token);
        var embedHears = new HubRecorder(embed);
        await embed.StartAsync(Ct);

        // Robin plays: Robin and Robin's embed hear it, live and the finished play.
        LiveTests.TwoPlays(robin, Catalog[0], Catalog[1]);
        await robinHears.WaitForAsync("nowPlaying", p => ItemUri(p) == Catalog[1].Uri, seconds: 30);
        await embedHears.WaitForAsync("nowPlaying", p => ItemUri(p) == Catalog[1].Uri, seconds: 30);
        await robinHears.WaitForAsync("playsAdded", p => p.GetProperty("accountId").GetString() == "acc-robin");
        await embedHears.WaitForAsync("playsAdded", p => p.GetProperty("accountId").GetString() == "acc-robin");

        // Alex plays afterwards: once Alex hears that, Alex would have heard Robin's earlier events (one queue, in order).
        alex.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow, Catalog[2], TimeSpan.FromMinutes(3)));
        await alexHears.WaitForAsync("nowPlaying", p => ItemUri(p) == Catalog[2].Uri, seconds: 30);
        await robinHears.WaitForAsync("nowPlaying", p => ItemUri(p) == Catalog[2].Uri);
        AssertHeardNothingOf(alexHears, "acc-robin");

        // Over HTTP: Robin is listed to Alex by name and status, with no play count and no live state.
        var alexOverview = (await alexBrowser.GetFromJsonAsync<JsonElement[]>("/api/household/now-playing", Ct))!;
        Assert.Equal(["acc-alex"], alexOverview.Select(o => o.GetProperty("accountId").GetString()));
        var refused = await alexBrowser.GetAsync("/api/accounts/acc-robin/now-playing", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await alexBrowser.GetAsync("/api/accounts/acc-robin/stats/summary", Ct)).StatusCode);
        var robinAsAlexSeesIt = Account(await alexBrowser.GetFromJsonAsync<JsonElement[]>("/api/accounts", Ct), "acc-robin");
        Assert.Equal("Robin", robinAsAlexSeesIt.GetProperty("displayName").GetString());
        Assert.Equal("active", robinAsAlexSeesIt.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, robinAsAlexSeesIt.GetProperty("playCount").ValueKind);
        Assert.False(robinAsAlexSeesIt.GetProperty("shareStats").GetBoolean());
        Assert.Equal(JsonValueKind.Number, Account(await alexBrowser.GetFromJsonAsync<JsonElement[]>("/api/accounts", Ct), "acc-alex").GetProperty("playCount").ValueKind);

        // Robin sees everything of their own; the share token's embed keeps working.
        Assert.Equal(1, Account(await robinBrowser.GetFromJsonAsync<JsonElement[]>("/api/accounts", Ct), "acc-robin").GetProperty("playCount").GetInt64());
        var robinNow = await robinBrowser.GetFromJsonAsync<JsonElement>("/api/accounts/acc-robin/now-playing", Ct);
        Assert.Equal(Catalog[1].Uri, robinNow.GetProperty("uri").GetString());
        var robinOverview = (await robinBrowser.GetFromJsonAsync<JsonElement[]>("/api/household/now-playing", Ct))!;
        Assert.Equal(["acc-alex", "acc-robin"], robinOverview.Select(o => o.GetProperty("accountId").GetString()));
        var card = await stranger.GetFromJsonAsync<JsonElement>("/api/embed/" + token, Ct);
        Assert.Equal(Catalog[1].Uri, card.GetProperty("live").GetProperty("item").GetProperty("uri").GetString());
        Assert.Single(card.GetProperty("recent").EnumerateArray());

        // Sharing on: Alex is told (with the play count) and hears Robin's next track at once.
        Assert.Equal(HttpStatusCode.OK, (await robinBrowser.PutAsJsonAsync("/api/me/sharing", new { shareStats = true }, Ct)).StatusCode);
        await alexHears.WaitForAsync("accountChanged", p => Id(p) == "acc-robin" && p.GetProperty("playCount").ValueKind == JsonValueKind.Number);
        robin.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow, Catalog[3], TimeSpan.FromMinutes(3)));
        await alexHears.WaitForAsync("nowPlaying", p => ItemUri(p) == Catalog[3].Uri, seconds: 30);
        Assert.Equal(HttpStatusCode.OK, (await alexBrowser.GetAsync("/api/accounts/acc-robin/now-playing", Ct)).StatusCode);

        // Sharing off again: Alex is told (play count hidden, Robin's own connections get it back) and hears no more.
        Assert.Equal(HttpStatusCode.OK, (await robinBrowser.PutAsJsonAsync("/api/me/sharing", new { shareStats = false }, Ct)).StatusCode);
        var hidden = await alexHears.WaitForAsync("accountChanged", p => Id(p) == "acc-robin" && !p.GetProperty("shareStats").GetBoolean());
        Assert.Equal(JsonValueKind.Null, hidden.Payload.GetProperty("playCount").ValueKind);
        await robinHears.WaitForAsync("accountChanged", p => Id(p) == "acc-robin" && !p.GetProperty("shareStats").GetBoolean() && p.GetProperty("playCount").ValueKind == JsonValueKind.Number);
        Assert.Equal(JsonValueKind.Number, robinHears.Of("accountChanged").Last(m => Id(m.Payload) == "acc-robin").Payload.GetProperty("playCount").ValueKind);
        var heardBefore = alexHears.Messages.Count(m => m.Method is "nowPlaying" or "playsAdded" && m.Payload.GetProperty("accountId").GetString() == "acc-robin");

        robin.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow, Catalog[4], TimeSpan.FromMinutes(3)));
        await robinHears.WaitForAsync("nowPlaying", p => ItemUri(p) == Catalog[4].Uri, seconds: 30);
        await embedHears.WaitForAsync("nowPlaying", p => ItemUri(p) == Catalog[4].Uri);
        alex.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow, Catalog[5], TimeSpan.FromMinutes(3)));
        await alexHears.WaitForAsync("nowPlaying", p => ItemUri(p) == Catalog[5].Uri, seconds: 30);
        Assert.Equal(heardBefore, alexHears.Messages.Count(m => m.Method is "nowPlaying" or "playsAdded" && m.Payload.GetProperty("accountId").GetString() == "acc-robin"));
        Assert.DoesNotContain(alexHears.Of("nowPlaying"), m => ItemUri(m.Payload) == Catalog[4].Uri);
        Assert.Equal(HttpStatusCode.Forbidden, (await alexBrowser.GetAsync("/api/accounts/acc-robin/now-playing", Ct)).StatusCode);
    }

    /// <summary>Nothing of the account's listening: no live state, no plays, and account changes only without a play count.</summary>
    private static void AssertHeardNothingOf(HubRecorder recorder, string accountId)
    {
        Assert.DoesNotContain(recorder.Messages, m => m.Method is "nowPlaying" or "playsAdded" && m.Payload.GetProperty("accountId").GetString() == accountId);
        Assert.All(
            recorder.Of("accountChanged").Where(m => Id(m.Payload) == accountId),
            m => Assert.Equal(JsonValueKind.Null, m.Payload.GetProperty("playCount").ValueKind));
    }

    private static JsonElement Account(JsonElement[]? accounts, string id) => Assert.Single(accounts!, a => Id(a) == id);

    private static string? Id(JsonElement account) => account.GetProperty("id").GetString();

    private static string? ItemUri(JsonElement liveState) =>
        liveState.GetProperty("item") is { ValueKind: JsonValueKind.Object } item ? item.GetProperty("uri").GetString() : null;
}
