using Microsoft.Extensions.Logging;
using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

public sealed class LoggingTests
{
    private const string MePath = "/v1/me";
    private const string TokenPath = "/api/token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Secrets_never_reach_the_logs_even_at_trace_level()
    {
        string[] secrets = ["ACCESS-SECRET-1", "ACCESS-SECRET-2", "REFRESH-SECRET-1", "REFRESH-SECRET-2", "CODE-SECRET", "VERIFIER-SECRET", "CLIENT-SECRET", "Bearer", "Basic "];
        await using var harness = await SpotifyHarness.StartAsync(o => o.ClientSecret = "CLIENT-SECRET");
        harness.Server.Enqueue(TokenPath,
            CannedResponse.Empty(503),
            CannedResponse.Token("ACCESS-SECRET-1", "REFRESH-SECRET-1"),
            CannedResponse.Token("ACCESS-SECRET-2", "REFRESH-SECRET-2"));
        harness.Server.Enqueue(MePath,
            CannedResponse.ApiError(401, "The access token expired"),
            CannedResponse.Empty(502),
            CannedResponse.ApiError(429, "Too many requests", "QUOTA_EXCEEDED", ("Retry-After", "60")));

        var tokens = await harness.Accounts.ExchangeCodeAsync("CODE-SECRET", "VERIFIER-SECRET", Ct);
        var holder = new RecordingTokenHolder(tokens);
        await Assert.ThrowsAsync<SpotifyRateLimitedException>(() => harness.Caller.CallAsync(holder, harness.Api.GetMeAsync, Ct));

        var entries = harness.Logs.Entries;
        Assert.Contains(entries, e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) && e.Level == LogLevel.Trace);
        Assert.Contains(entries, e => e.Message.Contains("Refreshed a Spotify access token", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Message.Contains("Retrying Spotify request POST /api/token after HTTP 503", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Message.Contains("Retrying Spotify request GET /v1/me after HTTP 502", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Spotify answered 429 (quota exceeded: True", StringComparison.Ordinal));
        Assert.All(entries, e => Assert.All(secrets, secret =>
        {
            Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, e.Exception ?? "", StringComparison.Ordinal);
        }));
    }
}
