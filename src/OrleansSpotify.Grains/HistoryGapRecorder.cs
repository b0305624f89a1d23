using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansSpotify.Spotify.Models;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// What the listener calls with each read of recently-played, before its plays are committed: a full read after the
/// listener's first (<see cref="HistoryGapDetector"/>) is compared with the cursor and the newest play stored so far
/// (read off the grain's turn), and a gap it leaves is stored in <see cref="HistoryGapStore"/> (idempotently, merged
/// with the gaps it overlaps). Any other read costs nothing. A failure propagates: the poll fails before its plays are
/// committed, so the next read finds the same window again instead of overlapping plays that hide it.
/// </summary>
public static partial class HistoryGapRecorder
{
    public static async Task CheckAsync(IServiceProvider services, string accountKey, RecentlyPlayedPage page, DateTimeOffset? cursor, DateTimeOffset now, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(page);
        if (!HistoryGapDetector.MayLeaveGap(page.Items.Count, cursor))
        {
            return;
        }

        var store = services.GetRequiredService<HistoryGapStore>();
        var stored = await Task.Run(() => store.NewestHistoryPlay(accountKey));
        if (HistoryGapDetector.Detect([.. page.Items.Select(i => i.PlayedAt)], cursor, stored) is { } window
            && await Task.Run(() => store.Record(accountKey, window.From, window.To, now)))
        {
            LogGap(logger, accountKey, window.From, window.To);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account}: a full read of recently-played does not reach back to the stored history; plays between {From} and {To} may be missing")]
    private static partial void LogGap(ILogger logger, string account, DateTimeOffset from, DateTimeOffset to);
}
