using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Storage;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// A full disk (the database held at its size with <see cref="SqliteDatabase.MaxPageCount"/>, as
/// <c>Storage:MaxPageCount</c> would): /readyz says so at the next probe, reads go on, the listener keeps polling
/// without losing a play, and everything returns once there is room again.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class FullDiskTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 91, trackCount: 60, artistCount: 40);

    [Fact]
    public async Task ReadyzTurnsUnhealthyOnAFullDiskReadsGoOnAndNoPlayIsLost()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        var alex = spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        var start = DateTimeOffset.UtcNow.AddHours(-4);
        for (var i = 0; i < 5; i++)
        {
            alex.AddPlay(new ScriptedPlay(start.AddMinutes(4 * i), Catalog.Tracks[i], TimeSpan.FromMinutes(3)));
        }

        var settings = LiveTests.FastPolling(spotify);
        settings["Polling:FailureBackoffMin"] = "00:00:00.2";
        settings["Polling:FailureBackoffMax"] = "00:00:00.5";
        settings["Storage:WriteProbeInterval"] = "00:00:00";   // every probe writes: "within one probe" is the next request
        await using var app = new HostApplication(settings);
        using var browser = app.CreateBrowser();
        await DemoSignIn.AsAsync(browser, "alex");
        Assert.Equal(5, (await SignInTests.WaitForPlaysAsync(browser, "acc-alex", expected: 5)).Count);
        var token = (await LiveTests.CreateTokenAsync(browser, "Blog", includeRecent: true)).GetProperty("token").GetString()!;

        var (status, report) = await ReadyzAsync(browser);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("accepts writes", Check(report, "database").GetProperty("description").GetString(), StringComparison.Ordinal);

        // The disk fills up: the next probe says so, and why.
        var database = app.Services.GetRequiredService<SqliteDatabase>();
        database.MaxPageCount = 1;
        (status, report) = await ReadyzAsync(browser);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        var check = Check(report, "database");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("full", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", Check(report, "silo").GetProperty("status").GetString());

        // Alex plays 40 new tracks meanwhile; the listener reads them, the database refuses them, the cursor stays.
        var added = DateTimeOffset.UtcNow;
        for (var i = 0; i < 40; i++)
        {
            alex.AddPlay(new ScriptedPlay(start.AddMinutes(30 + (4 * i)), Catalog.Tracks[5 + i], TimeSpan.FromMinutes(3)));
        }

        await spotify.WaitForAsync(r => r.Endpoint == "recently-played" && r.UserId == "alex" && r.At > added, 3, TimeSpan.FromSeconds(30), "history read while the disk is full");
        Assert.Equal(5, (await browser.GetFromJsonAsync<JsonElement>("/api/accounts/acc-alex/plays?limit=100", Ct)).GetProperty("items").GetArrayLength());

        // Reads go on.
        foreach (var path in new[] { "/api/accounts", "/api/accounts/acc-alex/plays", "/api/accounts/acc-alex/stats/summary", "/api/household/now-playing", "/api/household/plays", "/api/embed/" + token })
        {
            var read = await browser.GetAsync(path, Ct);
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{path} on a full disk: {(int)read.StatusCode}");
        }

        // Room again: ready at the next probe, and every play Alex made is stored exactly once.
        database.MaxPageCount = null;
        (status, report) = await ReadyzAsync(browser);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", Check(report, "database").GetProperty("status").GetString());
        var stored = await SignInTests.WaitForPlaysAsync(browser, "acc-alex", expected: 45);
        var expected = alex.VisibleHistory(DateTimeOffset.UtcNow)
            .Select(p => (p.EndedAt.ToUnixTimeMilliseconds(), ((FakeTrack)p.Item).Uri))
            .ToList();
        Assert.Equal(45, expected.Count);
        Assert.Equal(
            expected.Order(),
            stored.Select(p => (p.GetProperty("playedAt").GetDateTimeOffset().ToUnixTimeMilliseconds(), p.GetProperty("track").GetProperty("uri").GetString()!)).Order());
    }

    [Fact]
    public async Task AWriteTheDatabaseRefusesAnswers503ProblemDetailsWithRetryAfterAndChangesNothing()
    {
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System, cancellationToken: Ct);
        spotify.AddUser("alex", "Alex", accountId: "acc-alex");
        var settings = SignInTests.SpotifySettings(spotify);
        settings["Storage:BusyTimeout"] = "00:00:00.5";
        settings["Storage:WriteProbeInterval"] = "00:00:00";
        await using var app = new HostApplication(settings);
        using var browser = app.CreateBrowser();
        await DemoSignIn.AsAsync(browser, "alex");
        var token = (await LiveTests.CreateTokenAsync(browser, "Blog", includeRecent: false)).GetProperty("token").GetString()!;
        using var stranger = app.CreateBrowser();

        // Another process holds the database's write lock (a backup tool, a stuck writer): writes cannot get in.
        var database = app.Services.GetRequiredService<SqliteDatabase>();
        using (var holder = database.Open())
        using (var transaction = holder.BeginTransaction(deferred: false))
        {
            var refused = await browser.PutAsJsonAsync("/api/me/time-zone", new { timeZone = "Europe/Berlin" }, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("Storage unavailable", problem.GetProperty("title").GetString());
            Assert.Contains("SQLITE_BUSY", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            // Reads answer; an embed's first use cannot be recorded, and shows anyway.
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/accounts", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/api/embed/" + token, Ct)).StatusCode);
            var (status, report) = await ReadyzAsync(browser);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("SQLITE_BUSY", Check(report, "database").GetProperty("description").GetString(), StringComparison.Ordinal);
            transaction.Rollback();
        }

        Assert.Null(app.Services.GetRequiredService<AccountStore>().Get("acc-alex")!.TimeZone);
        Assert.Equal(HttpStatusCode.OK, (await ReadyzAsync(browser)).Status);
        var accepted = await browser.PutAsJsonAsync("/api/me/time-zone", new { timeZone = "Europe/Berlin" }, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("Europe/Berlin", app.Services.GetRequiredService<AccountStore>().Get("acc-alex")!.TimeZone);
        Assert.Null(Assert.Single((await browser.GetFromJsonAsync<JsonElement[]>("/api/me/share-tokens", Ct))!).GetProperty("lastUsedAt").GetString());
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/api/embed/" + token, Ct)).StatusCode);
        Assert.NotNull(Assert.Single((await browser.GetFromJsonAsync<JsonElement[]>("/api/me/share-tokens", Ct))!).GetProperty("lastUsedAt").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Report)> ReadyzAsync(HttpClient browser)
    {
        var response = await browser.GetAsync("/readyz", Ct);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    private static JsonElement Check(JsonElement report, string name) =>
        Assert.Single(report.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == name);
}
