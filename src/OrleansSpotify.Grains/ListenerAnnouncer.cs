using Microsoft.Extensions.Logging;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>
/// One listener's live announcements through <see cref="IListeningEvents"/>. An announcement never fails or holds up a
/// poll: a publisher that throws is logged and otherwise ignored.
/// </summary>
internal sealed class ListenerAnnouncer(IListeningEvents events, string accountKey, ILogger logger)
{
    public void NowPlayingChanged(LiveState state) => Announce(e => e.NowPlayingChanged(state));

    public void AccountChanged() => Announce(e => e.AccountChanged(accountKey));

    private void Announce(Action<IListeningEvents> announce)
    {
        try
        {
            announce(events);
        }
        catch (Exception exception)
        {
            ListenerLog.AnnounceFailed(logger, exception, accountKey);
        }
    }
}
