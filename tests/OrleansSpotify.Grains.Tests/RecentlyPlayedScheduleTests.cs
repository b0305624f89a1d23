namespace OrleansSpotify.Grains.Tests;

/// <summary>When a poll re-reads recently-played: pure, no cluster.</summary>
public sealed class RecentlyPlayedScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ListenerOptions Options = new();

    [Fact]
    public void TheFirstPollReadsIt() =>
        Assert.True(RecentlyPlayedSchedule.IsDue(new ListenerState(), playing: false, null, 0, Now, Options));

    [Fact]
    public void TheSameItemPlayingOnIsNotDueUntilTheActiveInterval()
    {
        var state = Playing("spotify:track:a", 60_000, readAgo: TimeSpan.FromMinutes(1));

        Assert.False(RecentlyPlayedSchedule.IsDue(state, playing: true, "spotify:track:a", 65_000, Now, Options));
        Assert.False(RecentlyPlayedSchedule.IsDue(state, playing: true, "spotify:track:a", 56_000, Now, Options));   // back less than ItemKey.ReplayThresholdMs: a seek
        Assert.True(RecentlyPlayedSchedule.IsDue(state, playing: true, "spotify:track:a", 65_000, Now + Options.HistoryIntervalWhileActive, Options));
    }

    [Fact]
    public void AnotherItemOrTheSameOneStartedOverIsDue()
    {
        var state = Playing("spotify:track:a", 60_000, readAgo: TimeSpan.FromMinutes(1));

        Assert.True(RecentlyPlayedSchedule.IsDue(state, playing: true, "spotify:track:b", 1_000, Now, Options));
        Assert.True(RecentlyPlayedSchedule.IsDue(state, playing: true, "spotify:track:a", 1_000, Now, Options));
    }

    [Fact]
    public void PlaybackThatStoppedIsDueAndAnIdleAccountOnlyAtTheIdleInterval()
    {
        var state = Playing("spotify:track:a", 60_000, readAgo: TimeSpan.FromMinutes(1));
        Assert.True(RecentlyPlayedSchedule.IsDue(state, playing: false, null, 0, Now, Options));

        state.WasPlaying = false;
        Assert.False(RecentlyPlayedSchedule.IsDue(state, playing: false, null, 0, Now + Options.HistoryIntervalWhileActive, Options));
        Assert.True(RecentlyPlayedSchedule.IsDue(state, playing: false, null, 0, state.LastHistoryReadAt!.Value + Options.HistoryIntervalWhileIdle, Options));
    }

    private static ListenerState Playing(string item, long progressMs, TimeSpan readAgo) => new()
    {
        LastTrackId = item,
        LastProgressMs = progressMs,
        WasPlaying = true,
        LastHistoryReadAt = Now - readAgo,
    };
}
