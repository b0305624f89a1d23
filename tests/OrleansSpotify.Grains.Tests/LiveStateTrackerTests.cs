using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>The live state machine on its own, no cluster: explicit instants, items built by hand.</summary>
public sealed class LiveStateTrackerTests
{
    private const string Account = "acc";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LatestPlay = T0.AddHours(-3);

    [Fact]
    public void ANewTrackerIsIdleSinceTheLatestRecordedPlay()
    {
        var tracker = new LiveStateTracker(Account);

        Assert.True(tracker.NeedsLatestPlay);
        Assert.Equal(new LiveState(Account, PlaybackState.Idle, LatestPlay, null), tracker.Current(LatestPlay));
        Assert.Equal(new LiveState(Account, PlaybackState.Idle, null, null), tracker.Current(null));
    }

    [Fact]
    public void PlayingIsAnnouncedOnceAndTheSameItemPlayingOnIsNot()
    {
        var tracker = new LiveStateTracker(Account);

        var first = tracker.Observe(Track("a", 10_000, T0), T0, LatestPlay);
        Assert.Equal(PlaybackState.Playing, first?.State);
        Assert.Equal(T0, first?.Since);
        Assert.False(tracker.NeedsLatestPlay);

        // Five seconds later, five seconds further: nothing to announce, and "since" stays.
        Assert.Null(tracker.Observe(Track("a", 15_000, T0.AddSeconds(5)), T0.AddSeconds(5), LatestPlay));
        Assert.Equal(T0, tracker.Current(null).Since);
        Assert.Equal(15_000, tracker.Current(null).Item?.ProgressMs);
    }

    [Fact]
    public void AnotherItemIsAnnouncedWithANewSince()
    {
        var tracker = new LiveStateTracker(Account);
        tracker.Observe(Track("a", 10_000, T0), T0, LatestPlay);

        var next = tracker.Observe(Track("b", 1_000, T0.AddSeconds(5)), T0.AddSeconds(5), LatestPlay);

        Assert.Equal(PlaybackState.Playing, next?.State);
        Assert.Equal("spotify:track:b", next?.Item?.Uri);
        Assert.Equal(T0.AddSeconds(5), next?.Since);
    }

    [Fact]
    public void PauseAndResumeAreAnnouncedAndTheResumeKeepsTheTracksSince()
    {
        var tracker = new LiveStateTracker(Account);
        tracker.Observe(Track("a", 10_000, T0), T0, LatestPlay);

        var paused = tracker.Observe(Track("a", 12_000, T0.AddSeconds(5), playing: false), T0.AddSeconds(5), LatestPlay);
        Assert.Equal(PlaybackState.Paused, paused?.State);
        Assert.Equal(T0.AddSeconds(5), paused?.Since);

        // Still paused: the pause's "since" stays and nothing is announced.
        Assert.Null(tracker.Observe(Track("a", 12_000, T0.AddSeconds(10), playing: false), T0.AddSeconds(10), LatestPlay));
        Assert.Equal(T0.AddSeconds(5), tracker.Current(null).Since);

        var resumed = tracker.Observe(Track("a", 12_000, T0.AddSeconds(20)), T0.AddSeconds(20), LatestPlay);
        Assert.Equal(PlaybackState.Playing, resumed?.State);
        Assert.Equal(T0, resumed?.Since);
    }

    [Fact]
    public void AReplayOfTheSameTrackStartsANewSince()
    {
        var tracker = new LiveStateTracker(Account);
        tracker.Observe(Track("a", 60_000, T0), T0, LatestPlay);

        var replay = tracker.Observe(Track("a", 1_000, T0.AddSeconds(5)), T0.AddSeconds(5), LatestPlay);

        // Far behind what five seconds predict: a jump, announced, and the play starts over.
        Assert.Equal(T0.AddSeconds(5), replay?.Since);
    }

    [Theory]
    [InlineData(18_000, false)] // 10 s + 5 s elapsed = 15 s predicted; 3 s off is within the tolerance
    [InlineData(18_001, true)]
    [InlineData(11_999, true)]
    [InlineData(12_000, false)]
    public void AProgressJumpOfMoreThanThreeSecondsIsAnnounced(long progressMs, bool announced)
    {
        var tracker = new LiveStateTracker(Account);
        tracker.Observe(Track("a", 10_000, T0), T0, LatestPlay);

        var change = tracker.Observe(Track("a", progressMs, T0.AddSeconds(5)), T0.AddSeconds(5), LatestPlay);

        Assert.Equal(announced, change is not null);
        Assert.Equal(T0, tracker.Current(null).Since);
    }

    [Fact]
    public void WhilePausedTheProgressIsNotExpectedToMove()
    {
        var tracker = new LiveStateTracker(Account);
        tracker.Observe(Track("a", 10_000, T0, playing: false), T0, LatestPlay);

        Assert.Null(tracker.Observe(Track("a", 10_000, T0.AddMinutes(5), playing: false), T0.AddMinutes(5), LatestPlay));
        Assert.NotNull(tracker.Observe(Track("a", 40_000, T0.AddMinutes(6), playing: false), T0.AddMinutes(6), LatestPlay));
    }

    [Fact]
    public void OneEmptyPollIsABlipAndTheSecondMakesTheAccountIdleSinceItWasLastSeenPlaying()
    {
        var tracker = new LiveStateTracker(Account);
        tracker.Observe(Track("a", 10_000, T0), T0, LatestPlay);
        tracker.Observe(Track("a", 15_000, T0.AddSeconds(5)), T0.AddSeconds(5), LatestPlay);

        Assert.Null(tracker.Observe(null, T0.AddSeconds(10), LatestPlay));
        Assert.Equal(PlaybackState.Playing, tracker.Current(LatestPlay).State);

        var idle = tracker.Observe(null, T0.AddSeconds(15), LatestPlay);
        Assert.Equal(new LiveState(Account, PlaybackState.Idle, T0.AddSeconds(5), null), idle);
        Assert.Null(tracker.Observe(null, T0.AddSeconds(20), LatestPlay));
    }

    [Fact]
    public void ABlipFollowedByPlayIsNotAnnounced()
    {
        var tracker = new LiveStateTracker(Account);
        tracker.Observe(Track("a", 10_000, T0), T0, LatestPlay);

        Assert.Null(tracker.Observe(null, T0.AddSeconds(5), LatestPlay));
        Assert.Null(tracker.Observe(Track("a", 20_000, T0.AddSeconds(10)), T0.AddSeconds(10), LatestPlay));

        // The blip was forgotten: the next empty poll is a blip again.
        Assert.Null(tracker.Observe(null, T0.AddSeconds(15), LatestPlay));
    }

    [Fact]
    public void StopOrSignOutMakesTheAccountIdleAtOnce()
    {
        var tracker = new LiveStateTracker(Account);
        tracker.Observe(Track("a", 10_000, T0), T0, LatestPlay);

        var idle = tracker.Observe(null, T0.AddSeconds(5), LatestPlay, immediate: true);

        Assert.Equal(new LiveState(Account, PlaybackState.Idle, T0, null), idle);
    }

    [Fact]
    public void IdleBeforeAnyPlayIsSinceTheLatestRecordedPlayAndNotAnnounced()
    {
        var tracker = new LiveStateTracker(Account);

        Assert.Null(tracker.Observe(null, T0, LatestPlay));
        Assert.Equal(LatestPlay, tracker.Current(LatestPlay).Since);

        // Plays committed since move it: it is worked out on each read.
        Assert.Equal(T0.AddMinutes(-1), tracker.Current(T0.AddMinutes(-1)).Since);
    }

    [Fact]
    public void PausedFromIdleIsAnnouncedSinceItWasFirstSeen()
    {
        var tracker = new LiveStateTracker(Account);

        var paused = tracker.Observe(Track("a", 10_000, T0, playing: false), T0, LatestPlay);

        Assert.Equal(new LiveState(Account, PlaybackState.Paused, T0, paused?.Item), paused);
        Assert.True(tracker.NeedsLatestPlay);
    }

    [Fact]
    public void ItemsWithoutAUriAreTheSameItemByNameOrElseByType()
    {
        var local = Track("x", 10_000, T0) with { Uri = null, Name = "Home recording" };
        var ad = Track("y", 0, T0) with { Uri = null, Name = null, ItemType = "ad", ProgressMs = null };

        Assert.Equal(new ItemKey("Home recording"), ItemKey.Of(local));
        Assert.Equal(new ItemKey("ad"), ItemKey.Of(ad));
        Assert.Equal(new ItemKey("spotify:track:a"), ItemKey.Of(Track("a", 0, T0)));

        var tracker = new LiveStateTracker(Account);
        tracker.Observe(ad, T0, LatestPlay);
        Assert.Null(tracker.Observe(ad with { ObservedAt = T0.AddSeconds(5) }, T0.AddSeconds(5), LatestPlay));
        Assert.NotNull(tracker.Observe(local with { ObservedAt = T0.AddSeconds(10) }, T0.AddSeconds(10), LatestPlay));
    }

    [Theory]
    [InlineData(60_000L, 54_999L, true)]
    [InlineData(60_000L, 55_000L, false)]
    [InlineData(null, 0L, false)]
    [InlineData(60_000L, null, false)]
    public void ARestartIsProgressMoreThanFiveSecondsBehind(long? before, long? after, bool restarted) =>
        Assert.Equal(restarted, ItemKey.Restarted(before, after));

    private static NowPlaying Track(string id, long progressMs, DateTimeOffset observedAt, bool playing = true) => new(
        "track", playing, progressMs, 200_000, $"spotify:track:{id}", $"Track {id}", ["Artist"], "Album", null, null, false, observedAt);
}
