using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Tests;

/// <summary>The household's live overview and feed, and search and privacy on an account's plays.</summary>
[Collection(HostCollection.Name)]
public sealed class HouseholdApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 33, trackCount: 60, artistCount: 12);

    [Fact]
    public async Task TheOverviewShowsEveryoneAndTheFeedHidesAPrivateMembersPlaysFromOthers()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        var hourAgo = DateTimeOffset.UtcNow.AddHours(-1);
        var users = new[] { ("sam", "Sam"), ("alex", "Alex"), ("robin", "Robin") }
            .Select((u, i) => (User: spotify.AddUser(u.Item1, u.Item2, accountId: "acc-" + u.Item1), Tracks: Catalog.Tracks.Skip(10 * i).Take(5).ToList()))
            .ToList();
        foreach (var (user, tracks) in users)
        {
            var at = hourAgo;
            foreach (var track in tracks)
            {
                user.AddPlay(new ScriptedPlay(at, track, TimeSpan.FromMinutes(2)));
                at = at.AddMinutes(3);
            }
        }

        var nowPlaying = Catalog[40];
        users[1].User.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow.AddSeconds(-10), nowPlaying, TimeSpan.FromMinutes(4)));
        await using var app = new HostApplication(LiveTests.FastPolling(spotify));
        using var sam = app.CreateBrowser();
        using var alex = app.CreateBrowser();
        using var robin = app.CreateBrowser();
        await DemoSignIn.AsAsync(sam, "sam");
        await DemoSignIn.AsAsync(alex, "alex");
        await DemoSignIn.AsAsync(robin, "robin");
        Assert.Equal(HttpStatusCode.OK, (await robin.PutAsJsonAsync("/api/me/sharing", new { shareStats = false }, Ct)).StatusCode);
        foreach (var (browser, id) in new[] { (sam, "acc-sam"), (alex, "acc-alex"), (robin, "acc-robin") })
        {
            Assert.Equal(5, (await SignInTests.WaitForPlaysAsync(browser, id, expected: 5)).Count);
        }

        // Live overview: everyone who shares (and yourself), by display name; idle "since" the latest recorded play
        // when never seen playing. Robin is private: only Robin sees Robin.
        var overview = await WaitForAsync(sam, "/api/household/now-playing", o => o[0].GetProperty("state").GetString() == "playing");
        Assert.Equal(["Alex", "Sam"], overview.Select(o => o.GetProperty("displayName").GetString()));
        Assert.Equal(["acc-alex", "acc-sam"], overview.Select(o => o.GetProperty("accountId").GetString()));
        Assert.Equal(nowPlaying.Name, overview[0].GetProperty("item").GetProperty("name").GetString());
        Assert.Equal(nowPlaying.Uri, overview[0].GetProperty("item").GetProperty("uri").GetString());
        Assert.Equal("idle", overview[1].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, overview[1].GetProperty("item").ValueKind);
        Assert.Equal(hourAgo.AddMinutes(14), overview[1].GetProperty("since").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(["accountId", "displayName", "item", "since", "state"], overview[1].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var robinsOverview = (await robin.GetFromJsonAsync<JsonElement[]>("/api/household/now-playing", Ct))!;
        Assert.Equal(["acc-alex", "acc-robin", "acc-sam"], robinsOverview.Select(o => o.GetProperty("accountId").GetString()));

        // The feed: newest first across members; Robin's plays only for Robin.
        var forSam = await sam.GetFromJsonAsync<JsonElement[]>("/api/household/plays?limit=100", Ct);
        Assert.Equal(10, forSam!.Length);
        Assert.DoesNotContain(forSam, p => p.GetProperty("accountId").GetString() == "acc-robin");
        Assert.Equal(forSam.Select(PlayedAt).OrderDescending(), forSam.Select(PlayedAt));
        Assert.Equal(["accountId", "displayName", "play"], forSam[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(5, (await robin.GetFromJsonAsync<JsonElement[]>("/api/household/plays?limit=100", Ct))!.Count(p => p.GetProperty("accountId").GetString() == "acc-robin"));
        Assert.Equal(10, (await sam.GetFromJsonAsync<JsonElement[]>("/api/household/plays", Ct))!.Length);
        Assert.Equal(3, (await sam.GetFromJsonAsync<JsonElement[]>("/api/household/plays?limit=3", Ct))!.Length);
        foreach (var limit in new[] { "0", "101", "many" })
        {
            var bad = await sam.GetAsync($"/api/household/plays?limit={limit}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("limit", out _));
        }

        // A private member's history is theirs alone (like their stats).
        var hidden = await sam.GetAsync("/api/accounts/acc-robin/plays", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, hidden.StatusCode);
        Assert.Equal("application/problem+json", hidden.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync("/api/accounts/acc-robin/plays?q=a", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await robin.GetAsync("/api/accounts/acc-robin/plays", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync("/api/accounts/acc-alex/plays", Ct)).StatusCode);

        // The sharing choice is read as the contract names it (shareStats) and as it was first named.
        var missing = await robin.PutAsJsonAsync("/api/me/sharing", new { }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("shareStats", out _));
        var shared = await robin.PutAsJsonAsync("/api/me/sharing", new { shareWithHousehold = true }, Ct);
        Assert.True((await shared.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("shareStats").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync("/api/accounts/acc-robin/plays", Ct)).StatusCode);
        Assert.Equal(15, (await sam.GetFromJsonAsync<JsonElement[]>("/api/household/plays?limit=100", Ct))!.Length);
        Assert.Equal(3, (await sam.GetFromJsonAsync<JsonElement[]>("/api/household/now-playing", Ct))!.Length);
    }

    [Fact]
    public async Task SearchKeepsPlaysWhoseTrackArtistOrAlbumContainsTheTextAndPagesByKeyset()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        var alex = spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        var at = DateTimeOffset.UtcNow.AddHours(-3);
        foreach (var track in Catalog.Tracks.Take(40))
        {
            alex.AddPlay(new ScriptedPlay(at, track, TimeSpan.FromMinutes(2)));
            at = at.AddMinutes(3);
        }

        await using var app = new HostApplication(LiveTests.FastPolling(spotify));
        using var browser = app.CreateBrowser();
        await DemoSignIn.AsAsync(browser, "alex");
        var all = await SignInTests.WaitForPlaysAsync(browser, "acc-alex", expected: 40);
        Assert.Equal(40, all.Count);

        var artist = Catalog[7].Artists[0].Name;
        var album = Catalog[12].Album.Name;
        var title = Catalog[20].Name;
        foreach (var text in new[] { artist[..Math.Min(5, artist.Length)].ToUpperInvariant(), album.ToLowerInvariant(), title[1..^1], "zz-nothing-zz" })
        {
            var expected = all.Where(p => Matches(p, text)).Select(Identity).ToList();
            var found = new List<string>();
            string? next = $"/api/accounts/acc-alex/plays?limit=3&q={Uri.EscapeDataString(text)}";
            while (next is not null)
            {
                var page = await browser.GetFromJsonAsync<JsonElement>(next, Ct);
                var items = page.GetProperty("items").EnumerateArray().ToList();
                Assert.True(items.Count <= 3);
                found.AddRange(items.Select(Identity));
                next = page.GetProperty("next").GetString();
                Assert.True(next is null || next.Contains("q=", StringComparison.Ordinal), next);
            }

            Assert.Equal(expected, found);
            Assert.True(text == "zz-nothing-zz" ? found.Count == 0 : found.Count > 0, text);
        }

        var tooLong = await browser.GetAsync($"/api/accounts/acc-alex/plays?q={new string('x', 201)}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("q", out _));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/accounts/acc-alex/plays?q={new string('x', 200)}", Ct)).StatusCode);
    }

    private static bool Matches(JsonElement play, string text)
    {
        var track = play.GetProperty("track");
        return new[] { track.GetProperty("name").GetString(), track.GetProperty("albumName").GetString() }
            .Concat(track.GetProperty("artists").EnumerateArray().Select(a => a.GetProperty("name").GetString()))
            .Any(s => s is not null && s.Contains(text, StringComparison.OrdinalIgnoreCase));
    }

    private static string Identity(JsonElement play) => play.GetProperty("playedAt").GetString() + " " + play.GetProperty("track").GetProperty("uri").GetString();

    private static DateTimeOffset PlayedAt(JsonElement item) => item.GetProperty("play").GetProperty("playedAt").GetDateTimeOffset();

    private static async Task<JsonElement[]> WaitForAsync(HttpClient browser, string path, Func<JsonElement[], bool> done)
    {
        JsonElement[] value = [];
        await ListeningSignal.UntilAsync(
            async () => done(value = (await browser.GetFromJsonAsync<JsonElement[]>(path, Ct))!),
            $"{path} to reach the expected state");
        return value;
    }
}
