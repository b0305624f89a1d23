using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Spotify.Http;
using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

/// <summary>
/// The call counter in the clients' pipelines, over real HTTP: every attempt sent (retries too) is counted once in
/// the <see cref="SpotifyCallLedger"/> by account (the ambient <see cref="SpotifyCallScope"/>), endpoint and outcome;
/// a request the rate-limit gate refuses is not sent, so not counted; token calls are counted apart.
/// </summary>
public sealed class CallCountingTests
{
    private const string MePath = "/v1/me";
    private const string TokenPath = "/api/token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://api.spotify.com/v1/me", "me")]
    [InlineData("https://api.spotify.com/v1/me/", "me")]
    [InlineData("https://api.spotify.com/v1/me/player", "player")]
    [InlineData("https://api.spotify.com/v1/me/player?additional_types=episode", "player")]
    [InlineData("https://api.spotify.com/v1/me/player/currently-playing?additional_types=episode", "currently-playing")]
    [InlineData("https://api.spotify.com/v1/me/player/recently-played?limit=50", "recently-played")]
    [InlineData("https://api.spotify.com/v1/artists/0OdUWJ0sBjDrqHygGUXeCF", "artists")]
    [InlineData("https://api.spotify.com/v1/tracks/11dFghVXANMlKmJXsNCbNl", "tracks")]
    [InlineData("https://api.spotify.com/v1/tracks?ids=a,b", "tracks")]
    [InlineData("https://api.spotify.com/v1/search?type=track&q=x", "search")]
    [InlineData("http://127.0.0.1:5000/prefix/v1/me/player/recently-played", "recently-played")]
    [InlineData("https://api.spotify.com/v1/browse/new-releases", "other")]
    [InlineData("https://api.spotify.com/v1/me/player/queue", "other")]
    public void EveryWebApiPathHasItsEndpoint(string uri, string endpoint) =>
        Assert.Equal(endpoint, SpotifyEndpoints.Classify(new Uri(uri)));

    [Fact]
    public async Task Each_attempt_of_a_retried_call_is_counted_with_its_outcome_for_the_scoped_account()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(500, "Server error"), CannedResponse.Empty(503), CannedResponse.Fixture("me.json"));

        using (SpotifyCallScope.Begin("acc-1"))
        {
            await harness.Api.GetMeAsync("access-1", Ct);
        }

        Assert.Equal(
            [(SpotifyHarness.Start, "acc-1", "me", "ok", 1), (SpotifyHarness.Start, "acc-1", "me", "server-error", 2)],
            Drain(harness));
        Assert.Equal(3, harness.Server.Requests.Count);
    }

    [Fact]
    public async Task Nothing_playing_is_no_content_and_a_call_outside_any_scope_is_unattributed()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue("/v1/me/player/currently-playing", CannedResponse.Empty(204));

        Assert.Null(await harness.Api.GetCurrentlyPlayingAsync("access-1", Ct));

        Assert.Equal([(SpotifyHarness.Start, SpotifyCallScope.Unattributed, "currently-playing", "no-content", 1)], Drain(harness));
        Assert.Null(SpotifyCallScope.Current);
    }

    [Fact]
    public async Task A_quota_429_and_a_rate_limit_429_are_told_apart_and_a_refused_call_is_not_counted()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue("/v1/artists/a1", CannedResponse.ApiError(429, "API rate limit exceeded", headers: ("Retry-After", "30")));
        harness.Server.Enqueue("/v1/artists/a2", CannedResponse.ApiError(429, "Too many requests", "QUOTA_EXCEEDED", ("Retry-After", "60")));
        using var scope = SpotifyCallScope.Begin("acc-1");

        await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetArtistAsync("access-1", "a1", Ct));
        harness.Time.Advance(TimeSpan.FromSeconds(31));
        var quota = await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetArtistAsync("access-1", "a2", Ct));
        Assert.True(quota.QuotaExceeded);
        // Inside the window the gate refuses: nothing leaves, nothing is counted.
        await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Api.GetArtistAsync("access-1", "a3", Ct));

        var minute = SpotifyHarness.Start;
        Assert.Equal([(minute, "acc-1", "artists", "quota-exceeded", 1), (minute, "acc-1", "artists", "rate-limited", 1)], Drain(harness));
        Assert.Equal(2, harness.Server.Requests.Count);
        // The gate holds the pause and its reason for the governor.
        var pause = harness.Services.GetRequiredService<ISpotifyRateLimitStatus>().GetPause();
        Assert.Equal(SpotifyPause.QuotaExceeded, pause!.Reason);
        Assert.Equal(SpotifyHarness.Start.AddSeconds(31) + new SpotifyOptions().QuotaExceededPause, pause.NotBefore);
    }

    [Fact]
    public async Task A_401_refresh_is_counted_as_a_token_call_of_the_holders_account_and_the_retry_as_another_call()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(401, "The access token expired"), CannedResponse.Fixture("me.json"));
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-2", "refresh-2"));
        var holder = new AccountTokenHolder("acc-7", new SpotifyTokens("access-1", SpotifyHarness.Start.AddMinutes(30), "refresh-1", ""));

        await harness.Caller.CallAsync(holder, harness.Api.GetMeAsync, Ct);

        var counted = Drain(harness);
        Assert.Equal(
            [(SpotifyHarness.Start, "acc-7", "me", "ok", 1), (SpotifyHarness.Start, "acc-7", "me", "unauthorized", 1), (SpotifyHarness.Start, "acc-7", "token", "ok", 1)],
            counted);
        Assert.False(SpotifyEndpoints.CountsAgainstQuota("token"));
        Assert.Null(SpotifyCallScope.Current);
    }

    [Fact]
    public async Task Attempts_that_time_out_or_cannot_connect_are_counted()
    {
        await using (var harness = await SpotifyHarness.StartAsync(
            o =>
            {
                o.AttemptTimeout = TimeSpan.FromMilliseconds(150);
                o.MaxRetryAttempts = 1;
            },
            TimeProvider.System))
        {
            harness.Server.Enqueue(MePath, CannedResponse.NoAnswer(), CannedResponse.NoAnswer());
            await Assert.ThrowsAsync<SpotifyTransientException>(() => harness.Api.GetMeAsync("access-1", Ct));
            Assert.Equal([("me", "timeout", 2)], Drain(harness).Select(c => (c.Endpoint, c.Outcome, c.Count)));
        }

        await using (var harness = await SpotifyHarness.StartAsync(o => o.ApiBaseUrl = new Uri($"http://127.0.0.1:{ClosedPort()}/v1/")))
        {
            await Assert.ThrowsAsync<SpotifyTransientException>(() => harness.Api.GetMeAsync("access-1", Ct));
            Assert.Equal([("me", "failed", 3)], Drain(harness).Select(c => (c.Endpoint, c.Outcome, c.Count)));
        }
    }

    [Fact]
    public void The_ledger_counts_per_minute_drains_once_and_takes_back_what_could_not_be_handed_over()
    {
        var ledger = new SpotifyCallLedger();
        var at = new DateTimeOffset(2026, 11, 20, 6, 0, 59, 999, TimeSpan.Zero);
        ledger.Record(at, "a", "me", "ok");
        ledger.Record(at.AddMilliseconds(-59_999), "a", "me", "ok");
        ledger.Record(at.AddMilliseconds(1), "a", "me", "ok");
        ledger.Record(at.ToOffset(TimeSpan.FromHours(2)), "b", "token", "ok");

        var drained = ledger.Drain();
        Assert.Equal(
            [(at.AddMilliseconds(-59_999), "a", "me", "ok", 2), (at.AddMilliseconds(-59_999), "b", "token", "ok", 1), (at.AddMilliseconds(1), "a", "me", "ok", 1)],
            drained.Select(c => (c.Minute, c.Account, c.Endpoint, c.Outcome, c.Count)).OrderBy(c => c.Minute).ThenBy(c => c.Item2));
        Assert.False(ledger.HasPending);
        Assert.Empty(ledger.Drain());

        ledger.Restore(drained);
        ledger.Record(at, "a", "me", "ok");
        Assert.Equal(5, ledger.Drain().Sum(c => c.Count));
    }

    private static List<(DateTimeOffset Minute, string Account, string Endpoint, string Outcome, int Count)> Drain(SpotifyHarness harness) =>
        [.. harness.Services.GetRequiredService<SpotifyCallLedger>().Drain()
            .Select(c => (c.Minute, c.Account, c.Endpoint, c.Outcome, c.Count))
            .OrderBy(c => c.Account, StringComparer.Ordinal).ThenBy(c => c.Endpoint, StringComparer.Ordinal).ThenBy(c => c.Outcome, StringComparer.Ordinal)];

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class AccountTokenHolder(string account, SpotifyTokens tokens) : ISpotifyTokenHolder
    {
        public SpotifyTokens Tokens { get; private set; } = tokens;

        public string? AccountKey => account;

        public Task SaveTokensAsync(SpotifyTokens tokens, CancellationToken cancellationToken)
        {
            Tokens = tokens;
            return Task.CompletedTask;
        }
    }
}
