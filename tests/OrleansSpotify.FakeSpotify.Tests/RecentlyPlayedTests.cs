using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrleansSpotify.FakeSpotify.Tests;

public sealed partial class RecentlyPlayedTests
{
    private const string RecentlyPlayed = "v1/me/player/recently-played";

    private static readonly DateTimeOffset HistoryStart = FakeSpotifyHarness.Start.AddHours(-5);

    [Fact]
    public async Task APlayAppearsOnlyOnceItEndedWithPlayedAtAtItsEnd()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var track = TestData.Track(200);
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddMilliseconds(-123), track, track.Duration, "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M"));

        var (_, playing) = await fake.GetJsonAsync(RecentlyPlayed, grant.AccessToken);
        fake.Advance(track.Duration);
        var (_, ended) = await fake.GetJsonAsync(RecentlyPlayed, grant.AccessToken);

        Assert.Empty(playing!["items"]!.AsArray());
        var item = Assert.Single(ended!["items"]!.AsArray())!;
        Assert.Equal("2026-11-25T10:03:19.877Z", (string?)item["played_at"]);
        Assert.Matches(PlayedAtFormat(), (string?)item["played_at"]);
        Assert.Equal(track.Id, (string?)item["track"]!["id"]);
        Assert.Equal("playlist", (string?)item["context"]!["type"]);
        Assert.False(ended.AsObject().ContainsKey("total"));
    }

    [Fact]
    public async Task TheConfiguredDelayHoldsPlaysBack()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.RecentlyPlayedDelay = TimeSpan.FromMinutes(5));
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddMinutes(-4), TestData.Track(), TimeSpan.FromMinutes(3)));

        var (_, early) = await fake.GetJsonAsync(RecentlyPlayed, grant.AccessToken);
        fake.Advance(TimeSpan.FromMinutes(4));
        var (_, late) = await fake.GetJsonAsync(RecentlyPlayed, grant.AccessToken);

        Assert.Empty(early!["items"]!.AsArray());
        Assert.Single(late!["items"]!.AsArray());
    }

    [Fact]
    public async Task OnlyTracksPlayedThirtySecondsOutsidePrivateSessionsAreRecorded()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var at = FakeSpotifyHarness.Start.AddHours(-1);
        var kept = TestData.Track();
        user.AddPlay(new ScriptedPlay(at, kept, TimeSpan.FromSeconds(30)));
        user.AddPlay(new ScriptedPlay(at.AddMinutes(1), TestData.Track(), TimeSpan.FromSeconds(29)));
        user.AddPlay(new ScriptedPlay(at.AddMinutes(2), TestData.Episode, TestData.Episode.Duration));
        user.AddPlay(new ScriptedPlay(at.AddMinutes(3), new FakeAd(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(30)));
        user.AddPlay(new ScriptedPlay(at.AddMinutes(4), TestData.Local, TestData.Local.Duration));
        user.AddPlay(new ScriptedPlay(at.AddMinutes(5), TestData.Track(), TimeSpan.FromMinutes(3), PrivateSession: true));

        var (_, body) = await fake.GetJsonAsync(RecentlyPlayed, grant.AccessToken);

        var item = Assert.Single(body!["items"]!.AsArray())!;
        Assert.Equal(kept.Id, (string?)item["track"]!["id"]);
        Assert.Equal([kept], user.VisibleHistory(fake.Clock.GetUtcNow()).Select(p => p.Item));
    }

    [Fact]
    public async Task TheShortPlayQuirkKeepsShortPlaysThatReachedTheEndAndDropsSkips()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(o => o.ShortPlayQuirk = true);
        var (user, grant) = fake.AddSignedInUser();
        var at = FakeSpotifyHarness.Start.AddHours(-1);
        var jingle = TestData.Track(12, "Jingle");
        user.AddPlay(new ScriptedPlay(at, jingle, jingle.Duration));
        user.AddPlay(new ScriptedPlay(at.AddMinutes(1), TestData.Track(240), TimeSpan.FromSeconds(90)));

        var (_, body) = await fake.GetJsonAsync(RecentlyPlayed, grant.AccessToken);

        var item = Assert.Single(body!["items"]!.AsArray())!;
        Assert.Equal(jingle.Id, (string?)item["track"]!["id"]);
    }

    [Fact]
    public async Task BackfilledPlaysShowUpLaterWithOlderPlayedAt()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var online = TestData.Track();
        var offline = TestData.Track();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddMinutes(-10), online, TimeSpan.FromMinutes(3)));
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start.AddHours(-2), offline, TimeSpan.FromMinutes(3),
            VisibleFrom: FakeSpotifyHarness.Start.AddMinutes(30)));

        var (_, before) = await fake.GetJsonAsync(RecentlyPlayed, grant.AccessToken);
        var newest = (string)before!["cursors"]!["after"]!;
        fake.Advance(TimeSpan.FromMinutes(30));
        var (_, afterBackfill) = await fake.GetJsonAsync(RecentlyPlayed, grant.AccessToken);
        var (_, afterCursor) = await fake.GetJsonAsync($"{RecentlyPlayed}?after={newest}", grant.AccessToken);

        Assert.Equal([online.Id], Ids(before));
        Assert.Equal([online.Id, offline.Id], Ids(afterBackfill!));
        Assert.Empty(afterCursor!["items"]!.AsArray());
    }

    [Fact]
    public async Task OnlyTheNewestFiftyAreRetained()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var tracks = AddHistory(user, 60);

        var (_, body) = await fake.GetJsonAsync(RecentlyPlayed + "?limit=50", grant.AccessToken);
        var oldest = (string)body!["cursors"]!["before"]!;
        var (_, past) = await fake.GetJsonAsync($"{RecentlyPlayed}?before={oldest}&limit=50", grant.AccessToken);

        Assert.Equal(tracks[10..].Select(t => t.Id).Reverse(), Ids(body));
        Assert.Null(body["next"]);
        Assert.Empty(past!["items"]!.AsArray());
        Assert.Equal(60, user.VisibleHistory(fake.Clock.GetUtcNow()).Count);
    }

    [Fact]
    public async Task PagesCarryCursorsAndANextLinkThatWorks()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var tracks = AddHistory(user, 25);

        var (_, first) = await fake.GetJsonAsync(RecentlyPlayed + "?limit=10", grant.AccessToken);
        var next = (string)first!["next"]!;
        var (_, second) = await fake.GetJsonAsync(next, grant.AccessToken);
        var (_, third) = await fake.GetJsonAsync((string)second!["next"]!, grant.AccessToken);

        var items = first["items"]!.AsArray();
        var newestMs = DateTimeOffset.Parse((string)items[0]!["played_at"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var oldestMs = DateTimeOffset.Parse((string)items[^1]!["played_at"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.Equal(newestMs.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)first["cursors"]!["after"]);
        Assert.Equal(oldestMs.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)first["cursors"]!["before"]);
        Assert.Equal($"{fake.Server.ApiBaseUrl}me/player/recently-played?before={oldestMs}&limit=10", next);
        Assert.Equal($"{fake.Server.ApiBaseUrl}me/player/recently-played?limit=10", (string?)first["href"]);
        Assert.Equal(10, (int)first["limit"]!);
        Assert.Equal(tracks.Select(t => t.Id).Reverse(), Ids(first).Concat(Ids(second)).Concat(Ids(third!)));
        Assert.Null(third!["next"]);
    }

    [Fact]
    public async Task TheDefaultLimitIsTwentyAndAfterPagesForward()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        var tracks = AddHistory(user, 30);
        var cursor = tracks[4];
        var cursorMs = (HistoryStart + TimeSpan.FromMinutes(4 * 4) + cursor.Duration).ToUnixTimeMilliseconds();

        var (_, defaults) = await fake.GetJsonAsync(RecentlyPlayed, grant.AccessToken);
        var (_, forward) = await fake.GetJsonAsync($"{RecentlyPlayed}?after={cursorMs}&limit=3", grant.AccessToken);

        Assert.Equal(20, defaults!["items"]!.AsArray().Count);
        Assert.Equal([tracks[7].Id, tracks[6].Id, tracks[5].Id], Ids(forward!));
        Assert.Contains("after=", (string?)forward!["next"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=51")]
    [InlineData("limit=ten")]
    [InlineData("limit=-1")]
    public async Task LimitsOutsideOneToFiftyAreInvalid(string query)
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();

        var (status, body) = await fake.GetJsonAsync($"{RecentlyPlayed}?{query}", grant.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, (int)body!["error"]!["status"]!);
        Assert.Equal("Invalid limit", (string?)body["error"]!["message"]);
    }

    [Fact]
    public async Task AfterAndBeforeTogetherAreInvalid()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();

        var (status, _) = await fake.GetJsonAsync($"{RecentlyPlayed}?after=1&before=2", grant.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task AnEmptyPageHasNullCursorsAndNext()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();

        using var response = await fake.GetAsync(RecentlyPlayed + "?limit=50", grant.AccessToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation))!.AsObject();

        Assert.Equal(["items", "next", "cursors", "limit", "href"], body.Select(p => p.Key));
        Assert.Empty(body["items"]!.AsArray());
        Assert.Null(body["next"]);
        Assert.Null(body["cursors"]);
        Assert.Equal(50, (int)body["limit"]!);
        Assert.Equal($"{fake.Server.ApiBaseUrl}me/player/recently-played?limit=50", (string?)body["href"]);
    }

    /// <summary>Adds <paramref name="count"/> full plays four minutes apart, ending well before now; oldest first.</summary>
    private static List<FakeTrack> AddHistory(FakeUser user, int count)
    {
        var tracks = new List<FakeTrack>();
        for (var i = 0; i < count; i++)
        {
            var track = TestData.Track(180 + i);
            user.AddPlay(new ScriptedPlay(HistoryStart + TimeSpan.FromMinutes(4 * i), track, track.Duration));
            tracks.Add(track);
        }

        return tracks;
    }

    private static IEnumerable<string?> Ids(JsonNode page) => page["items"]!.AsArray().Select(i => (string?)i!["track"]!["id"]);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex PlayedAtFormat();
}
