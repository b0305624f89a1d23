using OrleansSpotify.Abstractions;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Grains.Tests;

public sealed class ListenerGrainTests
{
    private static readonly FakeCatalog Catalog = FakeCatalog.Generate(seed: 11, trackCount: 300, artistCount: 80);
    private static readonly DateTimeOffset T0 = ListenerHarness.Start;

    [Fact]
    public async Task AScriptedDayOfThreeAccountsEndsWithExactlyTheExpectedPlays()
    {
        await using var h = await ListenerHarness.StartAsync();
        var alex = new Script(h.Spotify.AddUser("alex", "Alex", accountId: "acc-alex"));
        var sam = new Script(h.Spotify.AddUser("sam", "Sam"));
        var robin = new Script(h.Spotify.AddUser("robin", "Robin"));

        // Alex: a morning album with the same track twice in a row and a 10-second skip; an evening with
        // an episode, an ad and a local file between tracks.
        var end = alex.Session(T0.AddHours(1), Catalog.Tracks.Take(5), "spotify:album:morning");
        end = alex.Session(end, [Catalog[5], Catalog[5]], "spotify:album:morning");
        end = alex.Add(end, Catalog[6], TimeSpan.FromSeconds(10));
        alex.Session(end, Catalog.Tracks.Skip(7).Take(4), "spotify:user:alex:collection");
        end = alex.Session(T0.AddHours(13), [Catalog[20], new FakeEpisode("ep1", "Episode 1", TimeSpan.FromMinutes(12), "show1", "A Show")]);
        end = alex.Session(end, [new FakeAd(TimeSpan.FromSeconds(30)), Catalog[21], new FakeLocalTrack("Demo Tape", TimeSpan.FromMinutes(3), "Me", "Basement"), Catalog[22]]);

        // Sam: a long morning, then offline plays at noon that Spotify backfills hours later with older timestamps.
        sam.Session(T0.AddHours(2.5), Catalog.Tracks.Skip(30).Take(15), "spotify:playlist:commute");
        sam.Session(T0.AddHours(7), Catalog.Tracks.Skip(50).Take(8), visibleFrom: T0.AddHours(10));
        sam.Session(T0.AddHours(11), Catalog.Tracks.Skip(60).Take(3));

        // Robin: lunch, and an evening that starts in a private session.
        robin.Session(T0.AddHours(6), Catalog.Tracks.Skip(100).Take(10));
        end = robin.Session(T0.AddHours(14), Catalog.Tracks.Skip(120).Take(2), privateSession: true);
        robin.Session(end, Catalog.Tracks.Skip(122).Take(4));

        var listeners = new[] { await h.SignInAsync(alex.User), await h.SignInAsync(sam.User), await h.SignInAsync(robin.User) };
        var dayEnd = T0.AddDays(1);
        await h.RunUntilAsync(dayEnd, listeners);

        // Alex's 10-second skip, episode and local file are captured live; the ad is no play.
        Assert.Equal(alex.ExpectedWithLive(dayEnd), h.StoredPlays(alex.User));
        Assert.All(h.StoredPlayRecords(alex.User).Where(p => p.Source == PlaySource.Live), p => Assert.NotNull(p.MsPlayed));
        Assert.Equal(sam.Expected(dayEnd), h.StoredPlays(sam.User));
        Assert.Equal(robin.Expected(dayEnd), h.StoredPlays(robin.User));
        Assert.Equal(2, h.StoredPlays(alex.User).Count(p => p.Uri == Catalog[5].Uri));
        foreach (var listener in listeners)
        {
            var status = await listener.GetStatusAsync();
            Assert.Equal(AccountStatus.Active, status.Status);
            Assert.Equal(0, status.ConsecutiveFailures);
        }
    }

    [Fact]
    public async Task IdleBackOffGrowsAndWhilePlayingAPollLandsJustAfterEachTrackEndsAndNeverSixtySecondsApart()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("idle", "Idle"));
        var episode = new FakeEpisode("long", "A Long Episode", TimeSpan.FromMinutes(7), "show", "The Show");
        var tracks = Catalog.Tracks.Take(4).ToList();
        var sessionEnd = user.Session(T0.AddMinutes(20), [.. tracks, episode]);
        var listener = await h.SignInAsync(user.User);

        await h.RunUntilAsync(sessionEnd.AddHours(1), listener);

        var polls = h.Spotify.Requests.Where(r => r.Endpoint == "player" && r.UserId == "idle").Select(r => r.At).ToList();
        var intervals = polls.Zip(polls.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();

        // Idle: 15 s, doubling per poll (the cap is 30 min), until a poll finds the session.
        Assert.Equal([15, 30, 60, 120, 240, 480], intervals.Take(6));
        var firstPlaying = polls.First(t => t >= T0.AddMinutes(20));

        // Playing: a poll lands within 2 s after each natural end (the next track is seen and announced), and no two
        // polls are more than 60 s apart until the session ends.
        var starts = user.Plays.Select(p => p.StartedAt).Where(t => t > firstPlaying).ToList();
        Assert.All(starts, start => Assert.Contains(polls, t => t >= start && t <= start.AddSeconds(2)));
        Assert.All(polls.Zip(intervals).Where(p => p.First >= firstPlaying && p.First < sessionEnd), p => Assert.True(p.Second <= 60, $"{p.Second} s after {p.First:O}"));
        foreach (var start in starts)
        {
            var seen = h.Events.NowPlaying("idle").FirstOrDefault(s => s.Since >= start && s.Since <= start.AddSeconds(2));
            Assert.NotNull(seen);
        }

        // After the session, the back-off grows again; the ended plays were read from recently-played once settled.
        var after = polls.Zip(intervals).Where(p => p.First > sessionEnd).Select(p => p.Second).ToList();
        Assert.True(after.Count >= 3);
        Assert.True(after.Zip(after.Skip(1)).Take(3).All(pair => pair.Second >= pair.First));
        Assert.Equal(user.ExpectedWithLive(sessionEnd.AddHours(1)).Where(p => p.PlayedAt > firstPlaying), h.StoredPlays(user.User).Where(p => p.PlayedAt > firstPlaying));
    }

    [Fact]
    public async Task ASiloKilledBetweenFetchAndFlushLosesAndDuplicatesNothing()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h => h.FlushDelay = TimeSpan.FromHours(1));
        var user = new Script(h.Spotify.AddUser("crash", "Crash"));
        user.Session(T0.AddMinutes(-40), Catalog.Tracks.Skip(200).Take(8));
        await h.SignInAsync(user.User);

        // The first poll reads recently-played; its batch waits in the storage grain for the (1 h) flush delay.
        await WaitUntilAsync(h.Spotify, () => h.Spotify.Requests.Any(r => r.Endpoint == "recently-played" && r.UserId == "crash" && r.StatusCode == 200));
        // The batch has reached the storage grain once it waits out the flush delay on the fake clock.
        await h.Clock.WaitForTimerAsync(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Empty(h.StoredPlays(user.User));

        h.FlushDelay = TimeSpan.Zero;
        var before = h.Spotify.Requests.Count;
        await h.RestartSiloAsync(kill: true);

        // Nobody calls the listener: the start-up task resumes it, and it polls by itself.
        await WaitUntilAsync(h.Spotify, () => h.Spotify.Requests.Skip(before).Any(r => r.UserId == "crash" && r.Endpoint == "player"));

        var listener = h.Client.GetGrain<IListenerGrain>("crash");
        await h.RunUntilAsync(T0.AddMinutes(30), listener);

        Assert.Equal(user.Expected(T0.AddMinutes(30)), h.StoredPlays(user.User));
        Assert.Equal(8, h.StoredPlays(user.User).Count);
        Assert.Equal(user.Expected(T0)[^1].PlayedAt, (await listener.GetStatusAsync()).Cursor);
    }

    [Fact]
    public async Task NoRequestIsSentInsideARetryAfterWindowEvenAcrossARestart()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("limited", "Limited"));
        user.Session(T0, Catalog.Tracks.Take(40));
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddMinutes(2), listener);

        h.Spotify.Faults.RateLimitFor(TimeSpan.FromMinutes(10));
        await h.RunUntilAsync(T0.AddMinutes(3), listener);
        var limited = h.Spotify.Requests.First(r => r.StatusCode == 429);
        var windowEnd = (await listener.GetStatusAsync()).NextAllowedCallAt!.Value;
        Assert.InRange(windowEnd - limited.At, TimeSpan.FromMinutes(9.5), TimeSpan.FromMinutes(10));

        // Restart the silo inside the window: the listener's state and the app-wide gate both come back from
        // SQLite. A member who signs in after the restart has no window of their own: the gate alone holds them.
        await h.RunUntilAsync(T0.AddMinutes(6), listener);
        await h.RestartSiloAsync(kill: false);
        listener = h.Client.GetGrain<IListenerGrain>("limited");
        var newcomer = new Script(h.Spotify.AddUser("newcomer", "Newcomer"));
        newcomer.Session(T0, Catalog.Tracks.Skip(50).Take(40));
        var newcomerListener = await h.SignInAsync(newcomer.User);
        // Recently-played is read in batches while playing (every 30 min): run past the next read of each.
        await h.RunUntilAsync(windowEnd.AddMinutes(35), listener, newcomerListener);

        var apiRequests = h.Spotify.Requests.Where(r => r.Endpoint != "token").ToList();
        Assert.DoesNotContain(apiRequests, r => r.At > limited.At && r.At < windowEnd);
        Assert.Contains(apiRequests, r => r.At >= windowEnd && r.StatusCode is 200 or 204);
        Assert.Contains(apiRequests, r => r.UserId == "newcomer" && r.At >= windowEnd);
        var read = T0.AddMinutes(30);
        Assert.Equal(user.Expected(read), h.StoredPlays(user.User).Where(p => p.PlayedAt <= read));
        Assert.Equal(newcomer.Expected(windowEnd.AddMinutes(30)), h.StoredPlays(newcomer.User).Where(p => p.PlayedAt <= windowEnd.AddMinutes(30)));
    }

    [Fact]
    public async Task AnExpiredAccessTokenIsRefreshedOnceAndThePollSucceeds()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("expiring", "Expiring"));
        user.Session(T0, Catalog.Tracks.Take(5));
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddMinutes(1), listener);

        user.User.ExpireAccessTokens();
        h.Spotify.ClearRequests();
        await h.RunUntilAsync(T0.AddMinutes(2), listener);

        var requests = h.Spotify.Requests;
        Assert.Equal(401, requests[0].StatusCode);
        Assert.Equal("token", requests[1].Endpoint);
        Assert.Equal(200, requests[1].StatusCode);
        Assert.Equal(200, requests[2].StatusCode);
        Assert.Single(requests, r => r.StatusCode == 401);
        Assert.Equal(0, (await listener.GetStatusAsync()).ConsecutiveFailures);
    }

    [Fact]
    public async Task RotatingRefreshTokensAreKeptAcrossRefreshesAndRestarts()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("rotor", "Rotor"));
        var end = T0.AddHours(7);
        for (var at = T0.AddMinutes(20); at < end; at = at.AddHours(1))
        {
            user.Session(at, Catalog.Tracks.Skip((int)(at - T0).TotalHours * 3).Take(3));
        }

        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddHours(3.5), listener);
        await h.RestartSiloAsync(kill: false);
        listener = h.Client.GetGrain<IListenerGrain>("rotor");
        // Short sessions an idle account's back-off slept through are read from recently-played by the idle read (every 2 h).
        await h.RunUntilAsync(end.AddHours(2), listener);

        var refreshes = h.Spotify.Requests.Where(r => r.Endpoint == "token").ToList();
        Assert.True(refreshes.Count >= 6, $"expected a refresh per hour, saw {refreshes.Count}");
        Assert.All(refreshes, r => Assert.Equal(200, r.StatusCode));
        Assert.DoesNotContain(h.Spotify.Requests, r => r.StatusCode == 401);
        Assert.Equal(AccountStatus.Active, (await listener.GetStatusAsync()).Status);
        Assert.Equal(user.Expected(end), h.StoredPlays(user.User).Where(p => p.PlayedAt <= end));
    }

    [Fact]
    public async Task ARevokedGrantMarksOnlyThatAccountNeedsReauth()
    {
        await using var h = await ListenerHarness.StartAsync();
        var alex = new Script(h.Spotify.AddUser("alex", "Alex"));
        var sam = new Script(h.Spotify.AddUser("sam", "Sam"));
        alex.Session(T0, Catalog.Tracks.Take(20));
        sam.Session(T0, Catalog.Tracks.Skip(20).Take(20));
        var alexListener = await h.SignInAsync(alex.User);
        var samListener = await h.SignInAsync(sam.User);
        await h.RunUntilAsync(T0.AddMinutes(10), alexListener, samListener);

        alex.User.RevokeGrant();
        alex.User.ExpireAccessTokens();
        var revokedAt = h.Clock.GetUtcNow();
        await h.RunUntilAsync(T0.AddHours(2), alexListener, samListener);

        var alexStatus = await alexListener.GetStatusAsync();
        Assert.Equal(AccountStatus.NeedsReauth, alexStatus.Status);
        Assert.Null(alexStatus.NextPollAt);
        Assert.Equal(AccountStatus.NeedsReauth, h.Accounts.Get("alex")!.Status);
        var invalidGrant = h.Spotify.Requests.Single(r => r.Endpoint == "token" && r.StatusCode == 400);
        Assert.DoesNotContain(h.Spotify.Requests, r => r.UserId == "alex" && r.At > invalidGrant.At);
        Assert.Equal(AccountStatus.Active, (await samListener.GetStatusAsync()).Status);
        Assert.Equal(sam.Expected(T0.AddHours(2)), h.StoredPlays(sam.User));
        // What was stored before the revocation is right; plays read in batches may still have been waiting (Spotify keeps
        // them in recently-played for the member's next sign-in).
        Assert.Equal(alex.ExpectedWithLive(revokedAt).Take(h.StoredPlays(alex.User).Count), h.StoredPlays(alex.User));
    }

    [Fact]
    public async Task ADatabaseThatRefusesWritesStopsNoListenerAndLosesNoPlay()
    {
        await using var h = await ListenerHarness.StartAsync(configure: h => h.ConfigureStorage = o => o.BusyTimeout = TimeSpan.FromMilliseconds(100));
        var user = new Script(h.Spotify.AddUser("blocked-disk", "Blocked"));
        user.Session(T0, Catalog.Tracks.Take(40));
        var listener = await h.SignInAsync(user.User);
        // Recently-played is read in batches while playing: the first batch after 20 ended plays or 30 min.
        await h.RunUntilAsync(T0.AddMinutes(40), listener);
        var before = h.StoredPlays(user.User);
        Assert.NotEmpty(before);

        // Another process holds the write lock: the plays, the listener's state, every write fails (SQLITE_BUSY).
        using (var holder = new Microsoft.Data.Sqlite.SqliteConnection(h.StorageOptions.ConnectionString))
        {
            holder.Open();
            using var transaction = holder.BeginTransaction(deferred: false);
            await h.RunUntilAsync(T0.AddMinutes(90), listener);
            var during = await listener.GetStatusAsync();
            Assert.True(during.ConsecutiveFailures > 0);
            Assert.NotNull(during.NextPollAt);   // still polling
            using var count = holder.CreateCommand();
            count.Transaction = transaction;
            count.CommandText = "SELECT count(*) FROM plays;";
            Assert.Equal(before.Count, (long)count.ExecuteScalar()!);
            transaction.Rollback();
        }

        // Writable again: the same listener stores every play, each once.
        await h.RunUntilAsync(T0.AddHours(4), listener);
        var status = await listener.GetStatusAsync();
        Assert.Equal(AccountStatus.Active, status.Status);
        Assert.Equal(0, status.ConsecutiveFailures);
        Assert.Equal(user.Expected(T0.AddHours(4)), h.StoredPlays(user.User));
    }

    [Fact]
    public async Task ServerErrorsAndMalformedAnswersAreSurvivedWithoutLosingPlays()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("flaky", "Flaky"));
        user.Session(T0, Catalog.Tracks.Take(30));
        var listener = await h.SignInAsync(user.User);
        await h.RunUntilAsync(T0.AddMinutes(10), listener);

        h.Spotify.Faults.Enqueue(FakeEndpoint.Player, FakeFault.BadGateway502Html, times: 6);
        h.Spotify.Faults.Enqueue(FakeEndpoint.RecentlyPlayed, FakeFault.ServiceUnavailable503Empty, times: 4);
        h.Spotify.Faults.Enqueue(FakeEndpoint.RecentlyPlayed, FakeFault.MalformedJson, times: 2);
        h.Spotify.Faults.Enqueue(FakeEndpoint.Player, FakeFault.ServerError500Json, times: 3);
        h.Spotify.Faults.Enqueue(FakeEndpoint.Player, FakeFault.MalformedJson, times: 1);
        await h.RunUntilAsync(T0.AddHours(3), listener);

        Assert.Contains(h.Spotify.Requests, r => r.StatusCode == 502);
        Assert.Contains(h.Spotify.Requests, r => r.StatusCode == 503);
        var status = await listener.GetStatusAsync();
        Assert.Equal(AccountStatus.Active, status.Status);
        Assert.Equal(0, status.ConsecutiveFailures);
        Assert.Equal(user.Expected(T0.AddHours(3)), h.StoredPlays(user.User));

        // Failures were backed off, never hammered: at most 1 + MaxRetryAttempts requests per failed poll, 30 s+ apart.
        var failed = h.Spotify.Requests.Where(r => r.StatusCode >= 500).Select(r => r.At).Distinct().Order().ToList();
        Assert.All(failed.Zip(failed.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(24) || pair.Second == pair.First));
    }

    [Fact]
    public async Task EpisodesAdsAndLocalFilesShowAsNowPlayingAndEpisodesAndLocalFilesAreStoredLive()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("mixed", "Mixed"));
        var episode = new FakeEpisode("ep42", "The Episode", TimeSpan.FromMinutes(10), "show42", "The Show");
        var local = new FakeLocalTrack("Garage Take", TimeSpan.FromMinutes(3), "The Band", "Live Tapes");
        var end = user.Session(T0.AddMinutes(1), [episode, new FakeAd(TimeSpan.FromSeconds(30)), local]);
        user.Session(end, [Catalog[1], Catalog[2]]);
        var listener = await h.SignInAsync(user.User);

        await h.RunUntilAsync(T0.AddMinutes(5), listener);
        var now = await listener.GetNowPlayingAsync();
        Assert.Equal("episode", now!.ItemType);
        Assert.Equal("The Episode", now.Name);
        Assert.Equal(["The Show"], now.Artists);

        await h.RunUntilAsync(T0.AddMinutes(11).AddSeconds(15), listener);
        Assert.Equal("ad", (await listener.GetNowPlayingAsync())!.ItemType);

        await h.RunUntilAsync(T0.AddMinutes(13), listener);
        now = await listener.GetNowPlayingAsync();
        Assert.True(now!.IsLocal);
        Assert.StartsWith("spotify:local:", now.Uri, StringComparison.Ordinal);
        Assert.Equal(["The Band"], now.Artists);

        await h.RunUntilAsync(T0.AddMinutes(30), listener);
        Assert.Null(await listener.GetNowPlayingAsync());
        Assert.Equal(user.ExpectedWithLive(T0.AddMinutes(30)), h.StoredPlays(user.User));
        Assert.Equal([episode.Uri, local.Uri, Catalog[1].Uri, Catalog[2].Uri], h.StoredPlays(user.User).Select(p => p.Uri));
        var stored = h.StoredPlayRecords(user.User);
        Assert.Equal([PlaySource.Live, PlaySource.Live], stored.Take(2).Select(p => p.Source));
        Assert.Equal(600_000, stored[0].MsPlayed);
        Assert.Equal(180_000, stored[1].MsPlayed);

        // The episode is no music: it is summarised apart; the local file counts as music, with its own total.
        var beyond = h.Queries.GetListeningBeyondMusic(ListenerHarness.AccountKey(user.User), null, null)!;
        Assert.Equal(1, beyond.Episodes.Plays);
        Assert.Equal("The Show", Assert.Single(beyond.TopShows).Name);
        Assert.Equal(0, (await listener.GetStatusAsync()).ConsecutiveFailures);
    }

    [Fact]
    public async Task AChainOfSkipsIsCapturedLiveWithItsRealMsPlayedAcrossAKillAndAPrivateSessionRecordsNothing()
    {
        await using var h = await ListenerHarness.StartAsync();
        var user = new Script(h.Spotify.AddUser("skipper", "Skipper"));

        // Idle polls at T0, +15 s, +45 s: the session starts just before the third, which sees it fresh.
        var end = user.Add(T0.AddSeconds(44), Catalog[10], TimeSpan.FromSeconds(15));
        end = user.Add(end, Catalog[11], TimeSpan.FromSeconds(12));
        end = user.Add(end, Catalog[12], TimeSpan.FromSeconds(20));
        end = user.Session(end, [Catalog[13]]);
        end = user.Session(end, [Catalog[14], Catalog[15]], privateSession: true);
        end = user.Session(end, [Catalog[16]]);
        var listener = await h.SignInAsync(user.User);

        // The chain is over and the fourth track plays; its skips wait (in the saved state) for recently-played.
        await h.RunUntilAsync(T0.AddSeconds(100), listener);
        Assert.Empty(h.StoredPlays(user.User));
        await h.RestartSiloAsync(kill: true);
        listener = h.Client.GetGrain<IListenerGrain>("skipper");
        await listener.EnsurePollingAsync();
        await h.RunUntilAsync(end.AddHours(1), listener);

        Assert.Equal(user.ExpectedWithLive(end.AddHours(1)), h.StoredPlays(user.User));
        var live = h.StoredPlayRecords(user.User).Where(p => p.Source == PlaySource.Live).ToList();
        Assert.Equal([15_000L, 12_000L, 20_000L], live.Select(p => p.MsPlayed!.Value));
        Assert.DoesNotContain(h.StoredPlays(user.User), p => p.Uri == Catalog[14].Uri || p.Uri == Catalog[15].Uri);
        Assert.DoesNotContain(h.Events.NowPlaying("skipper"), s => s.Item?.Uri == Catalog[14].Uri || s.Item?.Uri == Catalog[15].Uri);

        // The skips are skips in the stats, not music plays.
        var summary = await h.Client.GetGrain<IAccountStatsGrain>("skipper").GetSummaryAsync(new StatsRequest(null, null, "UTC"));
        Assert.Equal(3, summary.Skips);
        Assert.Equal(user.Expected(end.AddHours(1)).Count, summary.Plays);
    }

    /// <summary>Re-checks <paramref name="condition"/> (on the fake Spotify's request log) on every request the fake logs.</summary>
    private static Task WaitUntilAsync(FakeSpotifyServer spotify, Func<bool> condition) =>
        spotify.WaitForAsync(_ => condition(), 1, TimeSpan.FromSeconds(30), "the condition on the fake Spotify's requests");
}
