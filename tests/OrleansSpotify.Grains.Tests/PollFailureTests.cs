using Microsoft.Extensions.Logging;
using OrleansSpotify.Spotify;

namespace OrleansSpotify.Grains.Tests;

/// <summary>A failed poll classified from what was thrown: pure, no cluster, explicit instants and jitter.</summary>
public sealed class PollFailureTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ListenerOptions Options = new();

    [Fact]
    public void ARefusedGrantStopsPollingAndAsksForANewSignIn()
    {
        var failure = PollFailure.Of(new SpotifyInvalidGrantException("Refresh token revoked"), Now, 2, Options, 0.5);

        Assert.Equal(PollFailureKind.SignInRevoked, failure.Kind);
        Assert.Equal("Spotify revoked the sign-in (Refresh token revoked). Sign in again to resume.", failure.Detail);
        Assert.Null(failure.Next);
        Assert.Equal(2, failure.ConsecutiveFailures);
    }

    [Fact]
    public void ARateLimitWaitsUntilItsEndAndDoesNotCountAsAFailure()
    {
        var retryAt = Now.AddMinutes(10);

        var failure = PollFailure.Of(new SpotifyRateLimitedException("429", retryAt, quotaExceeded: false, sent: true), Now, 1, Options, 0.5);

        Assert.Equal(PollFailureKind.RateLimited, failure.Kind);
        Assert.Equal(TimeSpan.FromMinutes(10), failure.Next);
        Assert.Equal(retryAt, failure.NotBefore);
        Assert.Equal("Rate limited by Spotify until 2026-03-01 12:10:00Z.", failure.Detail);
        Assert.Equal(1, failure.ConsecutiveFailures);
    }

    [Fact]
    public void AnExhaustedQuotaSaysSoAndAWindowAlreadyOverWaitsTheShortestIdleInterval()
    {
        var failure = PollFailure.Of(new SpotifyRateLimitedException("429", Now.AddSeconds(-1), quotaExceeded: true, sent: false), Now, 0, Options, 0.5);

        Assert.Equal("Spotify's quota for this app is exhausted; polling resumes at 2026-03-01 11:59:59Z.", failure.Detail);
        Assert.Equal(Options.IdleMinInterval, failure.Next);
    }

    [Fact]
    public void ARefusedAccountIsBlockedAndRetriedAtTheBlockedInterval()
    {
        var failure = PollFailure.Of(new SpotifyForbiddenException("User not registered in the Developer Dashboard"), Now, 3, Options, 0.5);

        Assert.Equal(PollFailureKind.Refused, failure.Kind);
        Assert.Equal("Spotify refuses this account: User not registered in the Developer Dashboard", failure.Detail);
        Assert.Equal(Options.BlockedRetryInterval, failure.Next);
        Assert.Equal(3, failure.ConsecutiveFailures);
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(1, 60)]
    [InlineData(4, 480)]
    [InlineData(20, 900)]
    public void AnythingElseCountsOneMoreFailureAndBacksOffTheDoublingDelay(int before, int seconds)
    {
        Exception[] failures =
        [
            new SpotifyTransientException("502 Bad Gateway", 502),
            new SpotifyUnauthorizedException("401 after a refresh"),
            new TimeoutException("storage grain call timed out"),
            new Microsoft.Data.Sqlite.SqliteException("database is locked", 5),
        ];

        foreach (var exception in failures)
        {
            var failure = PollFailure.Of(exception, Now, before, Options, 0.5);

            Assert.Equal(PollFailureKind.Transient, failure.Kind);
            Assert.Null(failure.Detail);
            Assert.Null(failure.NotBefore);
            Assert.Equal(before + 1, failure.ConsecutiveFailures);
            Assert.Equal(TimeSpan.FromSeconds(seconds), failure.Next);
        }
    }

    [Fact]
    public void TheTransientBackOffIsSpreadByTheJitterEitherWay()
    {
        var shortest = PollFailure.Of(new SpotifyTransientException("503"), Now, 0, Options, 0.0).Next;
        var longest = PollFailure.Of(new SpotifyTransientException("503"), Now, 0, Options, 0.999_999).Next!.Value;

        Assert.Equal(TimeSpan.FromSeconds(24), shortest);
        Assert.InRange(longest, TimeSpan.FromSeconds(35.99), TimeSpan.FromSeconds(36));
        Assert.Equal(TimeSpan.FromSeconds(30), new ListenerOptions { Jitter = 0 }.JitteredFailureBackoff(1, 0.0));
    }

    [Fact]
    public void EachKindIsLoggedWithTheAccount()
    {
        var logger = new RecordingLogger();
        Exception[] thrown =
        [
            new SpotifyInvalidGrantException("revoked"),
            new SpotifyRateLimitedException("429", Now.AddMinutes(1), false, true),
            new SpotifyForbiddenException("not allowlisted"),
            new SpotifyTransientException("503"),
        ];

        foreach (var exception in thrown)
        {
            PollFailure.Of(exception, Now, 0, Options, 0.5).Log(logger, "acc", exception);
        }

        Assert.Equal([LogLevel.Warning, LogLevel.Warning, LogLevel.Warning, LogLevel.Warning], logger.Entries.Select(e => e.Level));
        Assert.All(logger.Entries, e => Assert.StartsWith("Account acc", e.Message, StringComparison.Ordinal));
        Assert.Contains("revoked", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("not allowlisted", logger.Entries[2].Message, StringComparison.Ordinal);
        Assert.Same(thrown[3], logger.Entries[3].Exception);
        Assert.Contains("1 in a row", logger.Entries[3].Message, StringComparison.Ordinal);
    }
}
