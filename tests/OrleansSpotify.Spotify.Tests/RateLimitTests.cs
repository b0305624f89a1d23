using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Spotify.Http;
using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

public sealed class RateLimitTests
{
    private const string MePath = "/v1/me";
    private const string RecentlyPlayedPath = "/v1/me/player/recently-played";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_429_closes_the_gate_for_Retry_After_and_later_calls_are_refused_without_sending()
    {
        var store = new RecordingRateLimitStore();
        await using var harness = await SpotifyHarness.StartAsync(store: store);
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(429, "API rate limit exceeded", headers: ("Retry-After", "120")), CannedResponse.Fixture("me.json"));
        harness.Server.Enqueue(RecentlyPlayedPath, CannedResponse.Fixture("recently-played-empty.json"));

        var limited = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.True(limited.Sent);
        Assert.False(limited.QuotaExceeded);
        Assert.Equal(SpotifyHarness.Start.AddSeconds(120), limited.RetryAt);
        Assert.Contains("API rate limit exceeded", limited.Message, StringComparison.Ordinal);
        Assert.Equal([(SpotifyHarness.Start.AddSeconds(120), "RATE_LIMIT")], store.Saves);

        harness.Time.Advance(TimeSpan.FromSeconds(119));
        var refused = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetRecentlyPlayedAsync("access-2", cancellationToken: Ct));
        Assert.False(refused.Sent);
        Assert.Equal(limited.RetryAt, refused.RetryAt);
        Assert.Single(harness.Server.Requests);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("alice", (await harness.Api.GetMeAsync("access-1", Ct)).Id);
        Assert.Equal(2, harness.Server.Requests.Count);
    }

    [Fact]
    public async Task A_429_is_never_retried_even_mid_retry()
    {
        await using var harness = await SpotifyHarness.StartAsync(o => o.MaxRetryAttempts = 3);
        harness.Server.Enqueue(MePath,
            CannedResponse.Empty(503),
            CannedResponse.ApiError(429, "API rate limit exceeded", headers: ("Retry-After", "5")),
            CannedResponse.Fixture("me.json"));

        var limited = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.True(limited.Sent);
        Assert.Equal(2, harness.Server.Requests.Count);
    }

    [Fact]
    public async Task Retry_After_as_an_http_date_is_understood()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        var retryAt = SpotifyHarness.Start.AddMinutes(10);
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(429, "API rate limit exceeded", headers: ("Retry-After", retryAt.ToString("R"))));

        var limited = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.Equal(retryAt, limited.RetryAt);
    }

    [Fact]
    public async Task Missing_Retry_After_uses_the_configured_default()
    {
        await using var harness = await SpotifyHarness.StartAsync(o => o.DefaultRetryAfter = TimeSpan.FromSeconds(45));
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(429, "API rate limit exceeded"));

        var limited = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.Equal(SpotifyHarness.Start.AddSeconds(45), limited.RetryAt);
    }

    [Theory]
    [InlineData("5", 6 * 3600)]
    [InlineData(null, 6 * 3600)]
    [InlineData("86400", 86400)]
    public async Task Quota_exceeded_pauses_for_at_least_the_quota_pause(string? retryAfter, int expectedSeconds)
    {
        var store = new RecordingRateLimitStore();
        await using var harness = await SpotifyHarness.StartAsync(o => o.QuotaExceededPause = TimeSpan.FromHours(6), store: store);
        var headers = retryAfter is null ? [] : new[] { ("Retry-After", retryAfter) };
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(429, "Too many requests", "QUOTA_EXCEEDED", headers));

        var limited = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetMeAsync("access-1", Ct));

        Assert.True(limited.QuotaExceeded);
        Assert.Equal(SpotifyHarness.Start.AddSeconds(expectedSeconds), limited.RetryAt);
        Assert.Equal([(limited.RetryAt, "QUOTA_EXCEEDED")], store.Saves);

        harness.Time.Advance(TimeSpan.FromHours(5));
        var refused = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetMeAsync("access-1", Ct));
        Assert.False(refused.Sent);
        Assert.True(refused.QuotaExceeded);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task A_window_saved_before_a_restart_is_honoured_without_sending()
    {
        var store = new RecordingRateLimitStore(SpotifyHarness.Start.AddMinutes(10));
        await using var harness = await SpotifyHarness.StartAsync(store: store);
        harness.Server.Enqueue(MePath, CannedResponse.Fixture("me.json"));

        var first = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetMeAsync("access-1", Ct));
        var second = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetCurrentlyPlayingAsync("access-1", Ct));

        Assert.False(first.Sent);
        Assert.Equal(SpotifyHarness.Start.AddMinutes(10), first.RetryAt);
        Assert.Equal(first.RetryAt, second.RetryAt);
        Assert.Empty(harness.Server.Requests);

        harness.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("alice", (await harness.Api.GetMeAsync("access-1", Ct)).Id);
        Assert.Equal(1, store.Loads);
    }

    [Fact]
    public async Task An_expired_saved_window_sends_normally()
    {
        var store = new RecordingRateLimitStore(SpotifyHarness.Start.AddMinutes(-1));
        await using var harness = await SpotifyHarness.StartAsync(store: store);
        harness.Server.Enqueue(MePath, CannedResponse.Fixture("me.json"));

        Assert.Equal("alice", (await harness.Api.GetMeAsync("access-1", Ct)).Id);
    }

    [Fact]
    public async Task The_gate_is_shared_by_every_api_client_instance()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(429, "API rate limit exceeded", headers: ("Retry-After", "60")));
        var one = harness.Services.GetRequiredService<ISpotifyApiClient>();
        var other = harness.Services.GetRequiredService<ISpotifyApiClient>();
        Assert.NotSame(one, other);

        await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => one.GetMeAsync("member-a", Ct));
        var refused = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => other.GetMeAsync("member-b", Ct));

        Assert.False(refused.Sent);
        Assert.Single(harness.Server.Requests);
    }

    [Fact]
    public async Task A_shorter_Retry_After_never_shrinks_an_open_window()
    {
        // A request already in flight when the window opened can still come back with a short Retry-After.
        var store = new RecordingRateLimitStore();
        await using var harness = await SpotifyHarness.StartAsync(store: store);
        var gate = harness.Services.GetRequiredService<SpotifyRateLimitGate>();

        var first = gate.Close(TimeSpan.FromMinutes(10), quotaExceeded: true, "Too many requests");
        var late = gate.Close(TimeSpan.FromSeconds(1), quotaExceeded: false, "API rate limit exceeded");

        Assert.Equal(SpotifyHarness.Start.AddHours(1), first.RetryAt); // the default QuotaExceededPause
        Assert.Equal(first.RetryAt, late.RetryAt);
        Assert.Equal([(first.RetryAt, "QUOTA_EXCEEDED")], store.Saves);
        var refused = Assert.Throws<SpotifyRateLimitedException>(gate.ThrowIfClosed);
        Assert.True(refused.QuotaExceeded);
    }
}
