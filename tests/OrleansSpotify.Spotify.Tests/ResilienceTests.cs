using System.Net;
using System.Net.Sockets;
using OrleansSpotify.Spotify.Tests.Infrastructure;
using Polly.Timeout;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Spotify.Tests;

public sealed class ResilienceTests
{
    private const string MePath = "/v1/me";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Server_errors_are_retried_until_success(int status)
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(status, "Server error"), CannedResponse.Empty(status), CannedResponse.Fixture("me.json"));

        var profile = await harness.Api.GetMeAsync("access-1", Ct);

        Assert.Equal("alice", profile.Id);
        Assert.Equal(3, harness.Server.Requests.Count);
        Assert.All(harness.Server.Requests, r => Assert.Equal("Bearer access-1", r.Header("Authorization")));
    }

    [Fact]
    public async Task Html_502_burst_exhausts_the_retries_and_is_transient()
    {
        await using var harness = await SpotifyHarness.StartAsync(o => o.MaxRetryAttempts = 3);
        var gateway = CannedResponse.Text(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "text/html");
        harness.Server.Enqueue(MePath, gateway, gateway, gateway, gateway, CannedResponse.Fixture("me.json"));

        var error = await Assert.ThrowsAsync<SpotifyTransientException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.Equal(502, error.StatusCode);
        Assert.Equal(4, harness.Server.Requests.Count);
        Assert.Equal(3, harness.Logs.Entries.Count(e => e.EventId.Id == 6 && e.Message.Contains("/v1/me after HTTP 502", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task No_retries_when_configured_off()
    {
        await using var harness = await SpotifyHarness.StartAsync(o => o.MaxRetryAttempts = 0);
        harness.Server.Enqueue(MePath, CannedResponse.Empty(503), CannedResponse.Fixture("me.json"));

        await Assert.ThrowsAsync<SpotifyTransientException>(() => harness.Api.GetMeAsync("access-1", Ct));
        Assert.Single(harness.Server.Requests);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(501)]
    public async Task Other_statuses_are_not_retried(int status)
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(status, "no"), CannedResponse.Fixture("me.json"));

        await Assert.ThrowsAnyAsync<SpotifyException>(() => harness.Api.GetMeAsync("access-1", Ct));
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task Attempt_timeout_follows_the_fake_clock_then_retries()
    {
        // The pipeline uses the TimeProvider from DI: only advancing the fake clock can time the first attempt out.
        await using var harness = await SpotifyHarness.StartAsync(o => o.AttemptTimeout = TimeSpan.FromSeconds(10));
        harness.Server.Enqueue(MePath, CannedResponse.NoAnswer(), CannedResponse.Fixture("me.json"));

        var call = harness.Api.GetMeAsync("access-1", Ct);
        await harness.Server.WaitForRequestAsync(1);
        Assert.False(call.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(10));

        var profile = await call.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("alice", profile.Id);
        Assert.Equal(2, harness.Server.Requests.Count);
    }

    [Fact]
    public async Task Back_off_delays_follow_the_fake_clock()
    {
        var clock = new TimerSignallingClock(SpotifyHarness.Start);
        await using var harness = await SpotifyHarness.StartAsync(o => o.RetryBaseDelay = TimeSpan.FromMinutes(1), clock);
        harness.Server.Enqueue(MePath, CannedResponse.Empty(503), CannedResponse.Fixture("me.json"));

        var call = harness.Api.GetMeAsync("access-1", Ct);
        await harness.Server.WaitForRequestAsync(1);

        // Jittered exponential back-off: whenever the client starts waiting on the fake clock, advance it by that wait,
        // until the retry has happened (bounded).
        var retried = harness.Server.WaitForRequestAsync(2);
        for (var step = 0; step < 20 && !retried.IsCompleted; step++)
        {
            var timer = clock.TimersCreated.ReadAsync(Ct).AsTask();
            if (await Task.WhenAny(retried, timer).WaitAsync(TimeSpan.FromSeconds(30), Ct) == timer
                && await timer is var due && due > TimeSpan.Zero && due != Timeout.InfiniteTimeSpan)
            {
                clock.Advance(due);
            }
        }

        var profile = await call.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("alice", profile.Id);
        Assert.True(harness.Time.GetUtcNow() > SpotifyHarness.Start, "the retry waited on the fake clock");
    }

    [Fact]
    public async Task Timeouts_on_every_attempt_become_transient_with_the_system_clock()
    {
        await using var harness = await SpotifyHarness.StartAsync(
            o =>
            {
                o.AttemptTimeout = TimeSpan.FromMilliseconds(150);
                o.MaxRetryAttempts = 1;
            },
            TimeProvider.System);
        harness.Server.Enqueue(MePath, CannedResponse.NoAnswer(), CannedResponse.NoAnswer());

        var error = await Assert.ThrowsAsync<SpotifyTransientException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.IsType<TimeoutRejectedException>(error.InnerException);
        Assert.Equal(2, harness.Server.Requests.Count);
    }

    [Fact]
    public async Task Connection_failures_are_retried_then_transient()
    {
        var closedPort = GetClosedPort();
        await using var harness = await SpotifyHarness.StartAsync(o => o.ApiBaseUrl = new Uri($"http://127.0.0.1:{closedPort}/v1/"));

        var error = await Assert.ThrowsAsync<SpotifyTransientException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(2, harness.Logs.Entries.Count(e => e.EventId.Id == 6 && e.Message.Contains("HttpRequestException", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_spotify_failure()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.NoAnswer());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = harness.Api.GetMeAsync("access-1", cts.Token);
        await harness.Server.WaitForRequestAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(harness.Server.Requests);
    }

    private static int GetClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
