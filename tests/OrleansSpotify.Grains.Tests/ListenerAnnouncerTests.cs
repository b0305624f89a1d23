using Microsoft.Extensions.Logging;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>The listener's announcements on their own, no cluster: a publisher that throws never reaches the poll.</summary>
public sealed class ListenerAnnouncerTests
{
    private static readonly LiveState Playing = new("acc", PlaybackState.Playing, DateTimeOffset.UnixEpoch, null);

    [Fact]
    public void EachAnnouncementReachesThePublisherForItsAccount()
    {
        var events = new RecordingListeningEvents();
        var announcer = new ListenerAnnouncer(events, "acc", new RecordingLogger());

        announcer.NowPlayingChanged(Playing);
        announcer.AccountChanged();

        Assert.Equal([Playing, new AccountChanged("acc")], events.All);
    }

    [Fact]
    public void APublisherThatThrowsIsLoggedAndTheAnnouncementReturns()
    {
        var logger = new RecordingLogger();
        var announcer = new ListenerAnnouncer(new ThrowingListeningEvents(), "acc", logger);

        announcer.NowPlayingChanged(Playing);
        announcer.AccountChanged();

        Assert.Equal(2, logger.Entries.Count);
        Assert.All(logger.Entries, e =>
        {
            Assert.Equal(LogLevel.Warning, e.Level);
            Assert.IsType<InvalidOperationException>(e.Exception);
            Assert.Contains("acc", e.Message, StringComparison.Ordinal);
        });
    }

    private sealed class ThrowingListeningEvents : IListeningEvents
    {
        public void NowPlayingChanged(LiveState state) => throw new InvalidOperationException("hub gone");

        public void PlaysCommitted(string accountKey, IReadOnlyList<PlayRecord> plays) => throw new InvalidOperationException("hub gone");

        public void AccountChanged(string accountKey) => throw new InvalidOperationException("hub gone");

        public void ImportProgressed(ImportJobStatus status) => throw new InvalidOperationException("hub gone");
    }
}
