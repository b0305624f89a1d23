using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>
/// Where the grains announce what changed, for whoever shows it live (the Host implements it over its SignalR hub;
/// grains never see ASP.NET types). Implementations must return at once and never throw: a grain calls them in the
/// middle of a poll or right after a commit and does not wait for delivery.
/// </summary>
public interface IListeningEvents
{
    /// <summary>An account's live state changed: another item, play/pause, idle, or a jump in progress.</summary>
    void NowPlayingChanged(LiveState state);

    /// <summary>
    /// Plays of an account were committed; <paramref name="plays"/> are only the new ones, newest first, and only
    /// those the listener brought in (recently-played): imported history is not announced.
    /// </summary>
    void PlaysCommitted(string accountKey, IReadOnlyList<PlayRecord> plays);

    /// <summary>Something shown about the account changed (its status, its sharing choice).</summary>
    void AccountChanged(string accountKey);

    /// <summary>
    /// An import job moved: it started, committed a batch (at most a few times a second) or ended. Only the member
    /// whose account it imports into may hear it.
    /// </summary>
    void ImportProgressed(ImportJobStatus status);
}

/// <summary>The default when nothing shows events live (grain tests, tools).</summary>
public sealed class NullListeningEvents : IListeningEvents
{
    public void NowPlayingChanged(LiveState state)
    {
    }

    public void PlaysCommitted(string accountKey, IReadOnlyList<PlayRecord> plays)
    {
    }

    public void AccountChanged(string accountKey)
    {
    }

    public void ImportProgressed(ImportJobStatus status)
    {
    }
}
