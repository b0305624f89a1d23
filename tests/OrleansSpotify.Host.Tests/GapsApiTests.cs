using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// A gap end to end over the real Host: the listener was stopped while 60 plays happened, its next read (after the
/// member signs in again) returns the newest 50, and <c>GET /api/accounts/{id}/gaps</c> shows the window; the stats of
/// a range touching it carry it; the household sees it while the member shares; an uploaded Spotify export spanning it
/// closes it. Access is that of the member's plays: the household while they share, else only them; 401 without a member.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class GapsApiTests
{
    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 31, trackCount: 100, artistCount: 30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AGapIsShownToTheHouseholdCarriedByTheStatsOfItsRangeAndClosedByAnUploadedExport()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        var alex = spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        spotify.AddUser("sam", "Sam", accountId: "acc-sam");
        await using var app = new HostApplication(LiveTests.FastPolling(spotify));
        using var alexBrowser = app.CreateBrowser(new CookieContainer());
        using var samBrowser = app.CreateBrowser(new CookieContainer());
        using var stranger = app.CreateBrowser();
        var now = DateTimeOffset.UtcNow;
        var plays = new List<ScriptedPlay>();
        DateTimeOffset Session(DateTimeOffset start, IEnumerable<FakeTrack> tracks)
        {
            foreach (var track in tracks)
            {
                var play = new ScriptedPlay(start, track, track.Duration);
                alex.AddPlay(play);
                plays.Add(play);
                start = play.EndedAt;
            }

            return start;
        }

        // Ten plays this morning, read at sign-in: the first read, nothing stored before it, no gap.
        Session(now.AddHours(-10), Catalog.Tracks.Take(10));
        var alexId = await DemoSignIn.AsAsync(alexBrowser, "alex");
        await DemoSignIn.AsAsync(samBrowser, "sam");
        await SignInTests.WaitForPlaysAsync(alexBrowser, alexId, 10);
        Assert.Empty((await alexBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/gaps", Ct)).EnumerateArray());

        // The listener stops (the service was down, say) while 60 more plays happen; Alex signs in again.
        await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IListenerGrain>(alexId).StopAsync();
        var end = Session(now.AddHours(-8), Catalog.Tracks.Skip(10).Take(60));
        Assert.True(end < now, $"the 60 plays end at {end:O}, after {now:O}");
        await DemoSignIn.AsAsync(alexBrowser, "alex");

        // The read after it returns the newest 50: the gap is stored before they are.
        await SignInTests.WaitForPlaysAsync(alexBrowser, alexId, 60);
        var from = plays[9].EndedAt;
        var to = plays[20].EndedAt;
        var gap = Assert.Single((await alexBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/gaps", Ct)).EnumerateArray());
        Assert.Equal(["from", "to", "detectedAt", "closedBy"], gap.EnumerateObject().Select(p => p.Name));
        Assert.Equal(from.ToUnixTimeMilliseconds(), gap.GetProperty("from").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(to.ToUnixTimeMilliseconds(), gap.GetProperty("to").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.InRange(gap.GetProperty("detectedAt").GetDateTimeOffset(), now, DateTimeOffset.UtcNow);
        Assert.Equal(JsonValueKind.Null, gap.GetProperty("closedBy").ValueKind);

        // The stats of a range the gap touches carry it; a range that ends at its start or starts at its end does not.
        var range = $"from={Instant(from.AddHours(-1))}&to={Instant(to.AddHours(1))}";
        var timeline = await alexBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/stats/timeline?{range}", Ct);
        Assert.Equal(gap.ToString(), Assert.Single(timeline.GetProperty("gaps").EnumerateArray()).ToString());
        var summary = await alexBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/stats/summary?{range}", Ct);
        Assert.Single(summary.GetProperty("gaps").EnumerateArray());
        Assert.Empty((await alexBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/stats/summary?from={Instant(from.AddHours(-1))}&to={Instant(from)}", Ct)).GetProperty("gaps").EnumerateArray());
        Assert.Empty((await alexBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/stats/timeline?from={Instant(to)}&to={Instant(to.AddHours(1))}", Ct)).GetProperty("gaps").EnumerateArray());
        Assert.Single((await samBrowser.GetFromJsonAsync<JsonElement>("/api/household/stats/timeline?range=4w", Ct)).GetProperty("gaps").EnumerateArray());

        // Who sees it: the household while Alex shares; only Alex once Alex does not; nobody without signing in.
        Assert.Equal(gap.ToString(), Assert.Single((await samBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/gaps", Ct)).EnumerateArray()).ToString());
        Assert.Equal(HttpStatusCode.OK, (await alexBrowser.PutAsJsonAsync("/api/me/sharing", new { shareStats = false }, Ct)).StatusCode);
        await AssertProblemAsync(await samBrowser.GetAsync($"/api/accounts/{alexId}/gaps", Ct), HttpStatusCode.Forbidden);
        Assert.Empty((await samBrowser.GetFromJsonAsync<JsonElement>("/api/household/stats/summary?range=4w", Ct)).GetProperty("gaps").EnumerateArray());
        Assert.Single((await alexBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/gaps", Ct)).EnumerateArray());
        await AssertProblemAsync(await stranger.GetAsync($"/api/accounts/{alexId}/gaps", Ct), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await alexBrowser.GetAsync("/api/accounts/nobody/gaps", Ct), HttpStatusCode.NotFound);

        // Alex uploads the Spotify export of the day: once its job is done, the gap is closed and the lost plays are stored.
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(ExtendedHistory(plays)), "files", "Streaming_History_Audio_2026.json" } };
        var accepted = await alexBrowser.PostAsync($"/api/accounts/{alexId}/imports", upload, Ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await ListeningSignal.UntilAsync(
            async () => (await alexBrowser.GetFromJsonAsync<JsonElement>(accepted.Headers.Location!, Ct)).GetProperty("state").GetString() is "done" or "failed",
            "the import's end");
        Assert.Equal("done", (await alexBrowser.GetFromJsonAsync<JsonElement>(accepted.Headers.Location!, Ct)).GetProperty("state").GetString());
        var closed = Assert.Single((await alexBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/gaps", Ct)).EnumerateArray());
        Assert.Equal("import", closed.GetProperty("closedBy").GetString());
        Assert.Equal(gap.GetProperty("from").GetDateTimeOffset(), closed.GetProperty("from").GetDateTimeOffset());
        Assert.Empty((await alexBrowser.GetFromJsonAsync<JsonElement>($"/api/accounts/{alexId}/stats/timeline?{range}", Ct)).GetProperty("gaps").EnumerateArray());
        Assert.Equal(70, (await SignInTests.WaitForPlaysAsync(alexBrowser, alexId, 70)).Count);
    }

    private static string Instant(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The plays as Spotify's extended streaming history lists them (times to the second).</summary>
    private static byte[] ExtendedHistory(IEnumerable<ScriptedPlay> plays)
    {
        var rows = plays.Select(play =>
        {
            var track = (FakeTrack)play.Item;
            return new Dictionary<string, object?>
            {
                ["ts"] = play.EndedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["platform"] = "android",
                ["ms_played"] = (long)play.Played.TotalMilliseconds,
                ["conn_country"] = "DE",
                ["master_metadata_track_name"] = track.Name,
                ["master_metadata_album_artist_name"] = track.Artists[0].Name,
                ["master_metadata_album_album_name"] = track.Album.Name,
                ["spotify_track_uri"] = track.Uri,
                ["reason_start"] = "trackdone",
                ["reason_end"] = "trackdone",
                ["shuffle"] = false,
                ["skipped"] = false,
                ["offline"] = false,
                ["incognito_mode"] = false,
            };
        });
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(rows));
    }
}
