using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Tests;

/// <summary>Share tokens and what they show without a cookie: the embed JSON and the SVG card.</summary>
[Collection(HostCollection.Name)]
public sealed class EmbedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheSvgCardIsEscapedCachedForTenSecondsAndAnswers304ToItsETag()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        var alex = spotify.AddUser("alex", "Alex <& Co>", accountId: "acc-alex");
        var band = new FakeArtist("0000000000000000000art", "AC/DC & 'Friends'");
        var album = new FakeAlbum("0000000000000000000alb", "Live \"Loud\"", "album", "2020", [band]);
        var track = new FakeTrack("0000000000000000000trk", "Rock & Roll <Live> \"Encore\" with a very long name that must be cut", TimeSpan.FromMinutes(4), album, [band]);
        alex.AddPlay(new ScriptedPlay(DateTimeOffset.UtcNow.AddSeconds(-10), track, TimeSpan.FromMinutes(4)));
        await using var app = new HostApplication(LiveTests.FastPolling(spotify));
        using var browser = app.CreateBrowser();
        await DemoSignIn.AsAsync(browser, "alex");
        var created = await LiveTests.CreateTokenAsync(browser, "Blog", includeRecent: false);
        var token = created.GetProperty("token").GetString()!;
        using var stranger = app.CreateBrowser();
        await WaitUntilPlayingAsync(stranger, token);

        var response = await stranger.GetAsync(created.GetProperty("svgUrl").GetString(), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.CacheControl.MaxAge);
        var etag = response.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.False(response.Headers.Contains("X-Frame-Options"));

        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal(("400", "120"), ((string?)svg.Root.Attribute("width"), (string?)svg.Root.Attribute("height")));
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("Playing", texts);
        Assert.Contains(texts, t => t.StartsWith("Rock & Roll <Live> \"", StringComparison.Ordinal) && t.EndsWith('…') && t.Length <= 24);
        Assert.Contains("AC/DC & 'Friends'", texts);
        Assert.Contains("Alex <& Co>", texts);

        // The same card again: 304 to its ETag, the card to any other.
        using var conditional = new HttpRequestMessage(HttpMethod.Get, created.GetProperty("svgUrl").GetString());
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await stranger.SendAsync(conditional, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));
        using var other = new HttpRequestMessage(HttpMethod.Get, created.GetProperty("svgUrl").GetString());
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        Assert.Equal(HttpStatusCode.OK, (await stranger.SendAsync(other, Ct)).StatusCode);

        // An unknown token: a card saying so, never cached.
        foreach (var bad in new[] { new string('A', 43), "nonsense", token + "x" })
        {
            var invalid = await stranger.GetAsync($"/embed/now-playing/{bad}.svg", Ct);
            Assert.Equal(HttpStatusCode.NotFound, invalid.StatusCode);
            Assert.Equal("image/svg+xml", invalid.Content.Headers.ContentType!.MediaType);
            Assert.True(invalid.Headers.CacheControl!.NoStore);
            Assert.Contains("not valid", XDocument.Parse(await invalid.Content.ReadAsStringAsync(Ct)).Root!.Value, StringComparison.Ordinal);
        }

        // The embed JSON: live state, and recent plays only for a token that allows them.
        var embed = await stranger.GetFromJsonAsync<JsonElement>($"/api/embed/{token}", Ct);
        Assert.Equal("Alex <& Co>", embed.GetProperty("displayName").GetString());
        Assert.Equal("playing", embed.GetProperty("live").GetProperty("state").GetString());
        Assert.Equal("acc-alex", embed.GetProperty("live").GetProperty("accountId").GetString());
        Assert.Equal(track.Name, embed.GetProperty("live").GetProperty("item").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, embed.GetProperty("recent").ValueKind);
        var withRecent = await LiveTests.CreateTokenAsync(browser, "Site", includeRecent: true);
        var recent = await stranger.GetFromJsonAsync<JsonElement>($"/api/embed/{withRecent.GetProperty("token").GetString()}", Ct);
        Assert.Equal(JsonValueKind.Array, recent.GetProperty("recent").ValueKind);
        Assert.True(recent.GetProperty("recent").GetArrayLength() <= 5);

        var unknown = await stranger.GetAsync($"/api/embed/{new string('A', 43)}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
        Assert.False((await stranger.GetAsync($"/api/embed/{token}", Ct)).Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task ShareTokensAreListedWithoutTheirTextAndBadInputIsNamed()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        await using var app = new HostApplication(SignInTests.SpotifySettings(spotify));
        using var browser = app.CreateBrowser();
        using var stranger = app.CreateBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/me/share-tokens", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsJsonAsync("/api/me/share-tokens", new { label = "x" }, Ct)).StatusCode);
        await DemoSignIn.AsAsync(browser, "alex");

        var cases = new (string Body, string Parameter)[]
        {
            ("{\"label\":\"\",\"includeRecent\":false}", "label"),
            ("{\"label\":\"   \"}", "label"),
            ("{\"label\":\"" + new string('x', 61) + "\"}", "label"),
            ("{\"includeRecent\":true}", "label"),
            ("{\"label\":5}", "label"),
            ("{\"label\":\"Blog\",\"includeRecent\":\"yes\"}", "includeRecent"),
            ("[1,2]", "body"),
            ("not json", "body"),
            ("", "body"),
        };
        foreach (var (body, parameter) in cases)
        {
            var response = await browser.PostAsync("/api/me/share-tokens", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"{body} should name '{parameter}': {problem}");
        }

        var created = await LiveTests.CreateTokenAsync(browser, "  My blog  ", includeRecent: true);
        var token = created.GetProperty("token").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(43, token.Length);
        Assert.Equal("My blog", created.GetProperty("label").GetString());
        Assert.True(created.GetProperty("includeRecent").GetBoolean());
        Assert.Equal($"/embed/now-playing/{token}", created.GetProperty("embedUrl").GetString());
        Assert.Equal($"/embed/now-playing/{token}.svg", created.GetProperty("svgUrl").GetString());
        Assert.True(created.TryGetProperty("createdAt", out _));
        Assert.Equal(60, (await LiveTests.CreateTokenAsync(browser, new string('y', 60), includeRecent: false)).GetProperty("label").GetString()!.Length);

        var list = (await browser.GetFromJsonAsync<JsonElement>("/api/me/share-tokens", Ct)).EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        var listed = list.Single(t => t.GetProperty("id").GetString() == id);
        Assert.Equal(
            ["createdAt", "hint", "id", "includeRecent", "label", "lastUsedAt"],
            listed.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(token[^4..], listed.GetProperty("hint").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);
        Assert.DoesNotContain(token, await browser.GetStringAsync("/api/me/share-tokens", Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/api/embed/{token}", Ct)).StatusCode);
        listed = (await browser.GetFromJsonAsync<JsonElement>("/api/me/share-tokens", Ct)).EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);
        Assert.Equal(JsonValueKind.String, listed.GetProperty("lastUsedAt").ValueKind);

        foreach (var bad in new[] { "abc", "999999", "-1" })
        {
            var response = await browser.DeleteAsync($"/api/me/share-tokens/{bad}", Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.DeleteAsync($"/api/me/share-tokens/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync($"/api/me/share-tokens/{id}", Ct)).StatusCode);
        Assert.Single((await browser.GetFromJsonAsync<JsonElement>("/api/me/share-tokens", Ct)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/embed/{token}", Ct)).StatusCode);
    }

    private static Task WaitUntilPlayingAsync(HttpClient client, string token) =>
        ListeningSignal.UntilAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>($"/api/embed/{token}", Ct)).GetProperty("live").GetProperty("state").GetString() == "playing",
            "the account to be seen playing");
}
