using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSpotify.FakeSpotify.Tests;

public sealed class FaultTests
{
    private const string CurrentlyPlaying = "v1/me/player/currently-playing";

    [Fact]
    public async Task ServerErrorsComeAsJsonHtmlAndEmptyBodies()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.ServerError500Json);
        fake.Server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.BadGateway502Html);
        fake.Server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.ServiceUnavailable503Empty);

        using var json = await fake.GetAsync("v1/me", grant.AccessToken);
        using var html = await fake.GetAsync("v1/me", grant.AccessToken);
        using var empty = await fake.GetAsync("v1/me", grant.AccessToken);
        using var ok = await fake.GetAsync("v1/me", grant.AccessToken);

        Assert.Equal(HttpStatusCode.InternalServerError, json.StatusCode);
        Assert.Equal(500, (int)JsonNode.Parse(await json.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation))!["error"]!["status"]!);
        Assert.Equal(HttpStatusCode.BadGateway, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        Assert.Contains("502 Bad Gateway", await html.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, empty.StatusCode);
        Assert.Empty(await empty.Content.ReadAsByteArrayAsync(FakeSpotifyHarness.Cancellation));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task QueuedRateLimitsCarryRetryAfterAndQuotaCarriesItsReason()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.Faults.Enqueue(FakeEndpoint.RecentlyPlayed, FakeFault.RateLimited429);
        fake.Server.Faults.Enqueue(FakeEndpoint.RecentlyPlayed, FakeFault.QuotaExceeded429);
        fake.Server.Faults.EnqueueRateLimit(FakeEndpoint.RecentlyPlayed, TimeSpan.FromSeconds(86_400));

        using var limited = await fake.GetAsync("v1/me/player/recently-played", grant.AccessToken);
        using var quota = await fake.GetAsync("v1/me/player/recently-played", grant.AccessToken);
        using var long429 = await fake.GetAsync("v1/me/player/recently-played", grant.AccessToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter!.Delta);
        var limitedBody = JsonNode.Parse(await limited.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation))!;
        Assert.Equal("API rate limit exceeded", (string?)limitedBody["error"]!["message"]);
        Assert.Equal(HttpStatusCode.TooManyRequests, quota.StatusCode);
        Assert.Null(quota.Headers.RetryAfter);
        var quotaBody = JsonNode.Parse(await quota.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation))!;
        Assert.Equal("Too many requests", (string?)quotaBody["error"]!["message"]);
        Assert.Equal("QUOTA_EXCEEDED", (string?)quotaBody["error"]!["reason"]);
        Assert.Equal(TimeSpan.FromDays(1), long429.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task TheRateLimitWindowAppliesToEveryUserUntilItCloses()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, alex) = fake.AddSignedInUser("alex");
        var (_, sam) = fake.AddSignedInUser("sam");
        fake.Server.Faults.RateLimitFor(TimeSpan.FromSeconds(30));

        using var first = await fake.GetAsync("v1/me", alex.AccessToken);
        fake.Advance(TimeSpan.FromSeconds(10));
        using var other = await fake.GetAsync(CurrentlyPlaying, sam.AccessToken);
        var (tokenStatus, _) = await fake.RefreshAsync(alex.RefreshToken);
        fake.Advance(TimeSpan.FromSeconds(20));
        using var after = await fake.GetAsync("v1/me", alex.AccessToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), first.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, other.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(20), other.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("sam", fake.Server.Requests[1].UserId);
    }

    [Fact]
    public async Task CallingDuringTheWindowExtendsItWhenPenaltyOnRepeatIsOn()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.Faults.PenaltyOnRepeat = true;
        fake.Server.Faults.RateLimitFor(TimeSpan.FromSeconds(60));

        using var first = await fake.GetAsync("v1/me", grant.AccessToken);
        using var second = await fake.GetAsync("v1/me", grant.AccessToken);
        fake.Advance(TimeSpan.FromSeconds(61));
        using var stillLimited = await fake.GetAsync("v1/me", grant.AccessToken);

        Assert.Equal(TimeSpan.FromSeconds(60), first.Headers.RetryAfter!.Delta);
        Assert.Equal(TimeSpan.FromSeconds(120), second.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.StatusCode);
    }

    [Fact]
    public async Task AQuotaWindowCanOmitRetryAfter()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.Faults.RateLimitFor(TimeSpan.FromHours(24), quota: true, sendRetryAfter: false);

        using var response = await fake.GetAsync("v1/me", grant.AccessToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Contains("QUOTA_EXCEEDED", await response.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultsAreFifoPerEndpointAndAnyMatchesEverything()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.Faults.Enqueue(FakeEndpoint.CurrentlyPlaying, FakeFault.ServiceUnavailable503Empty, times: 2);
        fake.Server.Faults.Enqueue(FakeEndpoint.Any, FakeFault.ServerError500Json);

        using var me = await fake.GetAsync("v1/me", grant.AccessToken);
        using var firstPlaying = await fake.GetAsync(CurrentlyPlaying, grant.AccessToken);
        using var secondPlaying = await fake.GetAsync(CurrentlyPlaying, grant.AccessToken);
        using var thirdPlaying = await fake.GetAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal(HttpStatusCode.InternalServerError, me.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, firstPlaying.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, secondPlaying.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, thirdPlaying.StatusCode);
    }

    [Fact]
    public async Task UnauthorizedAndForbiddenFaultsUseSpotifysTexts()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.Unauthorized401Expired);
        fake.Server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.Unauthorized401Spurious);
        fake.Server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.Forbidden403NotAllowlisted);
        fake.Server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.Forbidden403OwnerNotPremium);

        var messages = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < 4; i++)
        {
            var (status, body) = await fake.GetJsonAsync("v1/me", grant.AccessToken);
            messages.Add((status, (string?)body!["error"]!["message"]));
        }

        Assert.Equal(
            [
                (HttpStatusCode.Unauthorized, "The access token expired"),
                (HttpStatusCode.Unauthorized, "Access token missing"),
                (HttpStatusCode.Forbidden, "User not registered in the Developer Dashboard"),
                (HttpStatusCode.Forbidden, "Active premium subscription required for the owner of the app. When the subscription status changes, it can take a few hours before requests are allowed again."),
            ],
            messages);
        Assert.All(fake.Server.Requests, r => Assert.Equal("alex", r.UserId));
    }

    [Fact]
    public async Task TokenEndpointFaultsIncludeInvalidGrantAndOutages()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.Faults.Enqueue(FakeEndpoint.Token, FakeFault.ServiceUnavailable503Empty);
        fake.Server.Faults.Enqueue(FakeEndpoint.Any, FakeFault.InvalidGrant);

        using var outage = await fake.Http.PostAsync("api/token", new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", grant.RefreshToken), new("client_id", "fake-client-id")]), FakeSpotifyHarness.Cancellation);
        var (meStatus, _) = await fake.GetJsonAsync("v1/me", grant.AccessToken);
        var (status, body) = await fake.RefreshAsync(grant.RefreshToken);
        var (recovered, _) = await fake.RefreshAsync(grant.RefreshToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, meStatus);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", (string?)body["error"]);
        Assert.Equal(HttpStatusCode.OK, recovered);
        Assert.Equal(["token", "me", "token", "token"], fake.Server.Requests.Select(r => r.Endpoint));
        Assert.All(fake.Server.Requests, r => Assert.Equal("alex", r.UserId));
    }

    [Fact]
    public async Task MalformedJsonIsA200ThatDoesNotParse()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, TestData.Track(), TimeSpan.FromMinutes(3)));
        fake.Server.Faults.Enqueue(FakeEndpoint.CurrentlyPlaying, FakeFault.MalformedJson);
        fake.Server.Faults.Enqueue(FakeEndpoint.RecentlyPlayed, FakeFault.MalformedJson);

        using var playing = await fake.GetAsync(CurrentlyPlaying, grant.AccessToken);
        using var history = await fake.GetAsync("v1/me/player/recently-played", grant.AccessToken);

        foreach (var response in new[] { playing, history })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(FakeSpotifyHarness.Cancellation);
            Assert.StartsWith("{", text, StringComparison.Ordinal);
            Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(text));
        }
    }

    [Fact]
    public async Task ATimeoutNeverAnswersAndIsLoggedWithStatusZero()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        var logged = new TaskCompletionSource<FakeRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Server.RequestLogged += request =>
        {
            if (request.Endpoint == "recently-played")
            {
                logged.TrySetResult(request);
            }
        };
        fake.Server.Faults.Enqueue(FakeEndpoint.RecentlyPlayed, FakeFault.Timeout);

        // A client that gives up after 3 s, as the product's per-attempt timeout does.
        using var impatient = new HttpClient { BaseAddress = fake.Server.BaseUri, Timeout = TimeSpan.FromSeconds(3) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/me/player/recently-played");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", grant.AccessToken);
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.SendAsync(request, FakeSpotifyHarness.Cancellation));
        var hung = await logged.Task.WaitAsync(TimeSpan.FromSeconds(30), FakeSpotifyHarness.Cancellation);
        var (next, _) = await fake.GetJsonAsync("v1/me/player/recently-played", grant.AccessToken);

        Assert.Equal(0, hung.StatusCode);
        Assert.Equal(FakeFault.Timeout, hung.Fault);
        Assert.Equal("alex", hung.UserId);
        Assert.Null(hung.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, next);
    }

    [Fact]
    public async Task StoppingTheServerEndsAHangingRequest()
    {
        var clock = new ArrivalClock();
        var server = await FakeSpotifyServer.StartAsync(clock: clock, cancellationToken: FakeSpotifyHarness.Cancellation);
        await using (server)
        {
            server.AddUser("alex", "Alex");
            var grant = server.IssueGrant("alex");
            server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.Timeout);
            using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/me");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", grant.AccessToken);

            clock.Arm();
            var hanging = http.SendAsync(request, FakeSpotifyHarness.Cancellation);
            await clock.Arrived.WaitAsync(TimeSpan.FromSeconds(30), FakeSpotifyHarness.Cancellation);
            await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), FakeSpotifyHarness.Cancellation);

            await Assert.ThrowsAnyAsync<HttpRequestException>(() => hanging.WaitAsync(TimeSpan.FromSeconds(30), FakeSpotifyHarness.Cancellation));
            Assert.Equal(0, Assert.Single(server.Requests).StatusCode);
        }
    }

    [Fact]
    public async Task MaxRetryAfterCapsWhatA429AsksForAndTheLogRecordsIt()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync(options => options.MaxRetryAfter = TimeSpan.FromSeconds(20));
        var (_, grant) = fake.AddSignedInUser();
        var sixLogged = LoggedCount(fake.Server, 6);
        fake.Server.Faults.EnqueueRateLimit(FakeEndpoint.Me, TimeSpan.FromSeconds(5));
        fake.Server.Faults.EnqueueRateLimit(FakeEndpoint.Me, TimeSpan.FromHours(1));
        fake.Server.Faults.EnqueueRateLimit(FakeEndpoint.Me, retryAfter: null, quota: true);

        using var shortWait = await fake.GetAsync("v1/me", grant.AccessToken);
        using var capped = await fake.GetAsync("v1/me", grant.AccessToken);
        using var quota = await fake.GetAsync("v1/me", grant.AccessToken);
        fake.Server.Faults.RateLimitFor(TimeSpan.FromMinutes(10));
        using var window = await fake.GetAsync("v1/me", grant.AccessToken);
        fake.Advance(TimeSpan.FromMinutes(5));
        using var stillInWindow = await fake.GetAsync("v1/me", grant.AccessToken);
        fake.Advance(TimeSpan.FromMinutes(5));
        using var after = await fake.GetAsync("v1/me", grant.AccessToken);

        Assert.Equal(TimeSpan.FromSeconds(5), shortWait.Headers.RetryAfter!.Delta);
        Assert.Equal(TimeSpan.FromSeconds(20), capped.Headers.RetryAfter!.Delta);
        Assert.Null(quota.Headers.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(20), window.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillInWindow.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        await sixLogged.WaitAsync(TimeSpan.FromSeconds(30), FakeSpotifyHarness.Cancellation);
        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), null, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20), null],
            fake.Server.Requests.Select(r => r.RetryAfter));
        Assert.Equal([429, 429, 429, 429, 429, 200], fake.Server.Requests.Select(r => r.StatusCode));
        Assert.Equal(
            [FakeFault.RateLimited429, FakeFault.RateLimited429, FakeFault.QuotaExceeded429, FakeFault.RateLimited429, FakeFault.RateLimited429, null],
            fake.Server.Requests.Select(r => r.Fault));
    }

    [Fact]
    public async Task RequestLoggedRaisesForEveryRequestOnceItIsLogged()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        var seen = new List<(FakeRequest Request, int Logged)>();
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Server.RequestLogged += request =>
        {
            lock (seen)
            {
                seen.Add((request, fake.Server.Requests.Count));
                if (seen.Count == 2)
                {
                    both.TrySetResult();
                }
            }
        };
        fake.Server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.ServiceUnavailable503Empty);

        await fake.GetJsonAsync("v1/me", grant.AccessToken);
        await fake.GetJsonAsync("v1/me", grant.AccessToken);
        await both.Task.WaitAsync(TimeSpan.FromSeconds(30), FakeSpotifyHarness.Cancellation);

        lock (seen)
        {
            Assert.Equal([503, 200], seen.Select(s => s.Request.StatusCode));
            Assert.Equal([1, 2], seen.Select(s => s.Logged));
            Assert.Equal(fake.Server.Requests, seen.Select(s => s.Request));
        }
    }

    /// <summary>Completes once <paramref name="count"/> requests have been logged from now on.</summary>
    private static Task LoggedCount(FakeSpotifyServer server, int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logged = 0;
        server.RequestLogged += _ =>
        {
            if (Interlocked.Increment(ref logged) >= count)
            {
                done.TrySetResult();
            }
        };
        return done.Task;
    }

    [Fact]
    public async Task NullProgressAndUnknownItemTypeBendTheNextPlaybackAnswer()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, TestData.Track(), TimeSpan.FromMinutes(3)));
        fake.Server.Faults.Enqueue(FakeEndpoint.Any, FakeFault.NullProgress);
        fake.Server.Faults.Enqueue(FakeEndpoint.Player, FakeFault.UnknownItemType);

        var (_, me) = await fake.GetJsonAsync("v1/me", grant.AccessToken);
        var (_, nullProgress) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);
        var (_, unknown) = await fake.GetJsonAsync("v1/me/player", grant.AccessToken);
        var (_, normal) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal("alex", (string?)me!["id"]);
        Assert.True(nullProgress!.AsObject().ContainsKey("progress_ms"));
        Assert.Null(nullProgress["progress_ms"]);
        Assert.Equal("track", (string?)nullProgress["item"]!["type"]);
        Assert.Equal("unknown", (string?)unknown!["currently_playing_type"]);
        Assert.Null(unknown["item"]);
        Assert.Equal(0, (long)normal!["progress_ms"]!);
    }

    [Fact]
    public async Task Intermittent204sHitCurrentlyPlayingWhileMusicPlays()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (user, grant) = fake.AddSignedInUser();
        user.AddPlay(new ScriptedPlay(FakeSpotifyHarness.Start, TestData.Track(), TimeSpan.FromMinutes(3)));
        fake.Server.Faults.Intermittent204Rate = 1;

        var (flaky, _) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);
        var (player, _) = await fake.GetJsonAsync("v1/me/player", grant.AccessToken);
        fake.Server.Faults.Clear();
        var (steady, _) = await fake.GetJsonAsync(CurrentlyPlaying, grant.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, flaky);
        Assert.Equal(HttpStatusCode.OK, player);
        Assert.Equal(HttpStatusCode.OK, steady);
    }

    [Fact]
    public async Task ClearDropsQueuedFaultsAndTheWindow()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.Faults.Enqueue(FakeEndpoint.Me, FakeFault.ServerError500Json, times: 5);
        fake.Server.Faults.RateLimitFor(TimeSpan.FromMinutes(5));
        fake.Server.Faults.Clear();

        var (status, _) = await fake.GetJsonAsync("v1/me", grant.AccessToken);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task TheRequestLogRecordsEveryRequestAndCanBeCleared()
    {
        await using var fake = await FakeSpotifyHarness.StartAsync();
        var (_, grant) = fake.AddSignedInUser();
        fake.Server.Faults.Enqueue(FakeEndpoint.RecentlyPlayed, FakeFault.ServiceUnavailable503Empty);

        await fake.GetJsonAsync("v1/me/player/recently-played?limit=5", grant.AccessToken);
        fake.Advance(TimeSpan.FromSeconds(3));
        await fake.GetJsonAsync("v1/me/player/recently-played?limit=5", grant.AccessToken);
        await fake.GetJsonAsync("nothing-here", null);

        var requests = fake.Server.Requests;
        fake.Server.ClearRequests();

        Assert.Equal(3, requests.Count);
        Assert.Equal(
            new FakeRequest(FakeSpotifyHarness.Start, "GET", "/v1/me/player/recently-played", "?limit=5", 503, "alex", "recently-played") { Fault = FakeFault.ServiceUnavailable503Empty },
            requests[0]);
        Assert.Null(requests[1].Fault);
        Assert.Equal(FakeSpotifyHarness.Start.AddSeconds(3), requests[1].At);
        Assert.Equal(200, requests[1].StatusCode);
        Assert.Equal(404, requests[2].StatusCode);
        Assert.Null(requests[2].Endpoint);
        Assert.Empty(fake.Server.Requests);
    }
}

/// <summary>The system clock, telling when the fake first reads it after <see cref="Arm"/> (a request arrived).</summary>
internal sealed class ArrivalClock : TimeProvider
{
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _armed;

    public Task Arrived => _arrived.Task;

    public void Arm()
    {
        _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _armed = true;
    }

    public override DateTimeOffset GetUtcNow()
    {
        if (_armed)
        {
            _arrived.TrySetResult();
        }

        return base.GetUtcNow();
    }
}
