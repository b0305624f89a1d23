using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>The watchdog's rule for restarting a listener's poll timer, no cluster (its reminder is exercised by the listener's restart tests).</summary>
public sealed class ListenerWatchdogTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(5);

    [Fact]
    public void OnlyTheListenersOwnReminderIsTheWatchdog()
    {
        Assert.True(ListenerWatchdog.IsWatchdog(Constants.ListenerWatchdogReminder));
        Assert.False(ListenerWatchdog.IsWatchdog("another-reminder"));
    }

    [Fact]
    public void ATimerThatRunsWithAPollDueOrLateByLessThanAPeriodIsLeftAlone()
    {
        Assert.False(ListenerWatchdog.MustRestartPolling(true, Now.AddMinutes(2), Now, Period));
        Assert.False(ListenerWatchdog.MustRestartPolling(true, Now.AddHours(1), Now, Period));   // a rate limit's long wait
        Assert.False(ListenerWatchdog.MustRestartPolling(true, Now - Period, Now, Period));
    }

    [Fact]
    public void NoTimerNoPollDueOrAPollLateByMoreThanAPeriodRestartsPolling()
    {
        Assert.True(ListenerWatchdog.MustRestartPolling(false, Now.AddMinutes(2), Now, Period));
        Assert.True(ListenerWatchdog.MustRestartPolling(true, null, Now, Period));
        Assert.True(ListenerWatchdog.MustRestartPolling(true, Now - Period - TimeSpan.FromTicks(1), Now, Period));
    }
}
