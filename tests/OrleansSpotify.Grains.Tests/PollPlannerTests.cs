using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

public sealed class PollPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly ListenerOptions Options = new();
    private static readonly PollPlanner Planner = new(Options);

    private static QuotaBudget Budget(int used = 100, double pace = 1, DateTimeOffset? pausedUntil = null) =>
        new(2000, used, TimeSpan.FromHours(24), pace, pausedUntil, pausedUntil is null ? null : "QUOTA_EXCEEDED");

    private static TimeSpan Playing(long progress, long duration, bool watchSkips = false, double jitter = 0) =>
        Planner.NextPoll(new PollView(PlayerActivity.Playing, progress, duration, watchSkips), 0, Now, Now, null, Budget(), jitter);

    [Fact]
    public void APlayingTrackIsPolledJustAfterItsPredictedEnd()
    {
        Assert.Equal(TimeSpan.FromSeconds(21.5), Playing(progress: 200_000, duration: 220_000));
        Assert.Equal(TimeSpan.FromSeconds(1.5), Playing(progress: 220_000, duration: 220_000));
    }

    [Fact]
    public void NeverMoreThanSixtySecondsWhilePlayingAndJitterOnlyShortensTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), Playing(progress: 25_000, duration: 3_600_000));
        var jittered = Playing(progress: 25_000, duration: 3_600_000, jitter: 0.99);
        Assert.InRange(jittered, TimeSpan.FromSeconds(54), TimeSpan.FromSeconds(60));

        // The end-of-track aim is never jittered.
        Assert.Equal(TimeSpan.FromSeconds(11.5), Playing(progress: 200_000, duration: 210_000, jitter: 0.99));

        // An item without a known duration (an ad) still gets the 60 s cap, and so does a private session.
        Assert.Equal(TimeSpan.FromSeconds(60), Planner.NextPoll(new PollView(PlayerActivity.Playing, 5_000, null, false), 0, Now, Now, null, null, 0));
    }

    [Fact]
    public void AnItemThatJustStartedIsProbedOnceBeforeThirtySeconds()
    {
        // Seen at the start (the end-of-track aim of the previous one): probed at 20 s of progress, then the cap.
        Assert.Equal(TimeSpan.FromSeconds(18.5), Playing(progress: 1_500, duration: 200_000));
        Assert.Equal(TimeSpan.FromSeconds(60), Playing(progress: 20_000, duration: 200_000));
        Assert.Equal(TimeSpan.FromSeconds(60), new PollPlanner(new ListenerOptions { SkipProbeProgress = TimeSpan.Zero })
            .NextPoll(new PollView(PlayerActivity.Playing, 1_500, 200_000, false), 0, Now, Now, null, null, 0));
    }

    [Fact]
    public void ASkipChainIsWatchedUntilATrackSurvivesThirtySeconds()
    {
        Assert.Equal(Options.SkipWatchInterval, Playing(progress: 2_000, duration: 200_000, watchSkips: true));
        Assert.Equal(Options.SkipWatchInterval, Playing(progress: 29_000, duration: 200_000, watchSkips: true));
        Assert.Equal(TimeSpan.FromSeconds(60), Playing(progress: 31_000, duration: 200_000, watchSkips: true));

        // A short track's end still wins over the skip watch.
        Assert.Equal(TimeSpan.FromSeconds(4.5), Playing(progress: 20_000, duration: 23_000, watchSkips: true));
    }

    [Fact]
    public void IdleBackOffGrowsToItsCapAndIsStretchedByThePace()
    {
        var intervals = Enumerable.Range(1, 10)
            .Select(n => Planner.NextPoll(new PollView(PlayerActivity.Nothing, null, null, false), n, Now, Now, null, Budget(), 0))
            .ToList();
        Assert.Equal(
            [15, 30, 60, 120, 240, 480, 960, 1800, 1800, 1800],
            intervals.Select(i => i.TotalSeconds));

        var paced = Planner.NextPoll(new PollView(PlayerActivity.Nothing, null, null, false), 10, Now, Now - TimeSpan.FromHours(1.5), null, Budget(pace: 2), 0);
        // Stretched to 60 min, but the idle read of recently-played (every 2 h, never stretched) comes first.
        Assert.Equal(TimeSpan.FromMinutes(30), paced);
        Assert.Equal(TimeSpan.FromHours(1), Planner.NextPoll(new PollView(PlayerActivity.Nothing, null, null, false), 10, Now, Now, null, Budget(pace: 2), 0));
    }

    [Fact]
    public void APausedAccountBacksOffToItsOwnShorterCap()
    {
        var paused = Planner.NextPoll(new PollView(PlayerActivity.Paused, 60_000, 200_000, false), 12, Now, Now, null, Budget(), 0);
        Assert.Equal(Options.PausedMaxInterval, paused);
    }

    [Fact]
    public void AfterPlaybackStopsTheNextPollComesWhenTheEndedPlaysSettle()
    {
        var settled = Now + TimeSpan.FromSeconds(90);
        var next = Planner.NextPoll(new PollView(PlayerActivity.Nothing, null, null, false), 3, Now, Now - TimeSpan.FromMinutes(20), settled, Budget(), 0);
        Assert.Equal(TimeSpan.FromSeconds(60), next);
        next = Planner.NextPoll(new PollView(PlayerActivity.Nothing, null, null, false), 5, Now, Now - TimeSpan.FromMinutes(20), settled, Budget(), 0);
        Assert.Equal(TimeSpan.FromSeconds(90), next);

        Assert.False(Planner.HistoryDue(PlayerActivity.Nothing, Now, Now - TimeSpan.FromMinutes(20), 3, settled, Budget()));
        Assert.True(Planner.HistoryDue(PlayerActivity.Nothing, settled, Now - TimeSpan.FromMinutes(20), 3, settled, Budget()));
    }

    [Fact]
    public void RecentlyPlayedIsReadInBatchesWhilePlaying()
    {
        var lastRead = Now - TimeSpan.FromMinutes(10);

        // Settled observations alone do not make a read while the session goes on ...
        Assert.False(Planner.HistoryDue(PlayerActivity.Playing, Now, lastRead, 3, Now - TimeSpan.FromMinutes(5), Budget()));

        // ... a batch of ended plays does, and so does the interval (stretched by the pace, at most twice).
        Assert.True(Planner.HistoryDue(PlayerActivity.Playing, Now, lastRead, Options.HistoryBatchPlays, null, Budget()));
        Assert.True(Planner.HistoryDue(PlayerActivity.Playing, Now, Now - Options.HistoryIntervalWhileActive, 0, null, Budget()));
        Assert.False(Planner.HistoryDue(PlayerActivity.Playing, Now, Now - Options.HistoryIntervalWhileActive, 0, null, Budget(pace: 5)));
        Assert.True(Planner.HistoryDue(PlayerActivity.Playing, Now, Now - (Options.HistoryIntervalWhileActive * 2), 0, null, Budget(pace: 5)));

        // The first poll always reads; an idle account reads every 2 h.
        Assert.True(Planner.HistoryDue(PlayerActivity.Nothing, Now, null, 0, null, Budget()));
        Assert.False(Planner.HistoryDue(PlayerActivity.Nothing, Now, Now - TimeSpan.FromMinutes(119), 0, null, Budget()));
        Assert.True(Planner.HistoryDue(PlayerActivity.Nothing, Now, Now - TimeSpan.FromHours(2), 0, null, Budget()));
    }

    [Fact]
    public void NoMoreThanFortyPlaysPileUpUnreadWhilePolled()
    {
        // Skip chains end a play every few seconds: the batch rule reads long before 40 have piled up; full plays of
        // 2 minutes (short pop) reach the 30 min interval after 15.
        Assert.True(Options.HistoryBatchPlays + (Options.HistoryIntervalWhileActive * 2 / TimeSpan.FromMinutes(2)) <= 50);
        Assert.True(Options.HistoryBatchPlays <= 40);
    }

    [Fact]
    public void AnExhaustedBudgetReadsOnlyRecentlyPlayedEveryTwoHours()
    {
        Assert.Equal((true, TimeSpan.FromHours(2)), Planner.WhileExhausted(Now, null));
        Assert.Equal((false, TimeSpan.FromMinutes(30)), Planner.WhileExhausted(Now, Now - TimeSpan.FromMinutes(90)));
        Assert.Equal((true, TimeSpan.FromHours(2)), Planner.WhileExhausted(Now, Now - TimeSpan.FromHours(2)));
        Assert.True(Budget(used: 2000).Exhausted);
    }

    [Fact]
    public void AQuotaPauseSendsNothingUntilItEnds()
    {
        Assert.Equal(TimeSpan.FromMinutes(40), PollPlanner.PauseLeft(Budget(pausedUntil: Now.AddMinutes(40)), Now));
        Assert.Null(PollPlanner.PauseLeft(Budget(pausedUntil: Now.AddMinutes(-1)), Now));
        Assert.Null(PollPlanner.PauseLeft(null, Now));
    }

    [Theory]
    [InlineData(double.NaN, 1)]
    [InlineData(0.5, 1)]
    [InlineData(3, 3)]
    [InlineData(1e9, 100)]
    public void ThePaceIsAtLeastOneAndBounded(double pace, double expected) => Assert.Equal(expected, PollPlanner.Pace(Budget(pace: pace)));

    [Fact]
    public void OptionsThatBreakTheRulesAreRefused()
    {
        static List<System.ComponentModel.DataAnnotations.ValidationResult> Validate(ListenerOptions options)
        {
            var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
            System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);
            return results;
        }

        Assert.Empty(Validate(new ListenerOptions()));
        Assert.Contains(Validate(new ListenerOptions { IdleMaxInterval = TimeSpan.FromSeconds(5) }), r => r.MemberNames.Contains(nameof(ListenerOptions.IdleMaxInterval)));
        Assert.Contains(Validate(new ListenerOptions { ExhaustedHistoryInterval = TimeSpan.FromHours(3) }), r => r.MemberNames.Contains(nameof(ListenerOptions.ExhaustedHistoryInterval)));
        Assert.Contains(Validate(new ListenerOptions { SkipWatchInterval = TimeSpan.Zero }), r => r.MemberNames.Contains(nameof(ListenerOptions.SkipWatchInterval)));
        Assert.Contains(Validate(new ListenerOptions { HistoryBatchPlays = 60 }), r => r.MemberNames.Contains(nameof(ListenerOptions.HistoryBatchPlays)));
    }
}
