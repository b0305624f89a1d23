using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>
/// The reminder that brings a polling listener back after a deactivation or a crash (reminders are durable; timers are
/// not), and the rule by which a tick of it restarts a poll timer that should have fired long ago.
/// </summary>
internal sealed class ListenerWatchdog(IGrainBase grain, TimeSpan period)
{
    public static bool IsWatchdog(string reminderName) => reminderName == Constants.ListenerWatchdogReminder;

    /// <summary>
    /// Whether a tick must start the poll timer again: none runs, none is due, or the due poll is more than a watchdog
    /// <paramref name="period"/> late.
    /// </summary>
    public static bool MustRestartPolling(bool timerRunning, DateTimeOffset? nextPollAt, DateTimeOffset now, TimeSpan period) =>
        !timerRunning || nextPollAt is null || nextPollAt < now - period;

    public bool MustRestartPolling(PollTimer poll, DateTimeOffset now) => MustRestartPolling(poll.IsRunning, poll.NextPollAt, now, period);

    public Task RegisterAsync() => grain.RegisterOrUpdateReminder(Constants.ListenerWatchdogReminder, period, period);

    public async Task UnregisterAsync()
    {
        if (await grain.GetReminder(Constants.ListenerWatchdogReminder) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
