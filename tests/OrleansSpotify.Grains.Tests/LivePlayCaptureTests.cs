using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>Live capture without a cluster: what successive polls see, what ends, and how it meets recently-played.</summary>
public sealed class LivePlayCaptureTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly ListenerOptions Options = new();

    private readonly ListenerState _state = new();

    private LivePlayCapture Capture => new(_state, Options);

    private static TrackInfo Track(string id, long durationMs = 200_000) =>
        new("spotify:track:" + id, id, "Track " + id, durationMs, false, false, null, new AlbumInfo("al" + id, "Album", "album", "2020", null), [new ArtistInfo("ar", "Artist")]);

    private static readonly TrackInfo Local = new("spotify:local:Me:Basement:Demo+Tape:180", null, "Demo Tape", 180_000, false, true, null, new AlbumInfo(null, "Basement", null, null, null), [new ArtistInfo(null, "Me")]);

    private static readonly TrackInfo Episode = new("spotify:episode:ep1", "ep1", "Episode 1", 1_800_000, false, false, null, new AlbumInfo("show1", "A Show", "show", null, null), []);

    private static LiveObservation Playing(TrackInfo track, long progress, LiveKind kind = LiveKind.Track) => new(track.Uri, track, kind, null, true, progress, false);

    private static LiveObservation Paused(TrackInfo track, long progress) => new(track.Uri, track, LiveKind.Track, null, false, progress, false);

    private static PlayRecord Listed(TrackInfo track, DateTimeOffset playedAt) => new(playedAt, track, null, null, null, PlaySource.RecentlyPlayed);

    private LiveCaptureStep See(LiveObservation? observation, DateTimeOffset at) => Capture.Observe(observation, at);

    [Fact]
    public void ASkipIsAnEndedPlayWithTheTimeFromItsStartToItsReplacement()
    {
        var a = Track("a");
        var b = Track("b");
        See(Playing(a, 3_000), T0);                                   // a started at T0 - 3 s
        var step = See(Playing(b, 4_000), T0.AddSeconds(16));         // b started at T0 + 12 s: a played 15 s

        var ended = Assert.Single(step.Ended);
        Assert.True(step.SkipDetected);
        Assert.Equal(a.Uri, ended.Track.Uri);
        Assert.Equal(15_000, ended.MsPlayed);
        Assert.Equal(T0.AddSeconds(12), ended.EndedAt);
        Assert.Equal(ended.EndEarliest, ended.EndLatest);
        Assert.True(Capture.Current!.WatchSkips);

        // Recently-played does not list it (under 30 s): a read after the settle window stores it live, a skip.
        var early = Capture.Reconcile([], T0.AddSeconds(30));
        Assert.Empty(early.Live);
        Assert.Single(Capture.Pending);
        var settled = Capture.Reconcile([], ended.EndLatest + Options.HistorySettle);
        var live = Assert.Single(settled.Live);
        Assert.Equal((PlaySource.Live, 15_000L, T0.AddSeconds(12)), (live.Source, live.MsPlayed!.Value, live.PlayedAt));
        Capture.Stored(settled.Settled);
        Assert.Empty(Capture.Pending);
    }

    [Fact]
    public void AChainOfSkipsEndsOnePlayPerItemUntilOneSurvives()
    {
        var tracks = new[] { Track("a"), Track("b"), Track("c"), Track("d") };
        See(Playing(tracks[0], 60_000), T0);
        var at = T0;
        for (var i = 1; i < tracks.Length; i++)
        {
            at = at.AddSeconds(8);
            var step = See(Playing(tracks[i], 2_000), at);
            Assert.Single(step.Ended);
        }

        var ended = Capture.Pending.Select(p => (p.Track.Uri, p.MsPlayed)).ToList();
        Assert.Equal([(tracks[0].Uri, 66_000L), (tracks[1].Uri, 8_000L), (tracks[2].Uri, 8_000L)], ended);
        Assert.Equal(3, _state.PlaysEndedSinceHistory);

        // The listed full play of a matches; the two skips are not listed and become live skips.
        var settledAt = T0.AddMinutes(10);
        var reconciled = Capture.Reconcile([Listed(tracks[0], T0.AddSeconds(6))], settledAt);
        Assert.Equal(66_000, Assert.Single(reconciled.Listed).MsPlayed);
        Assert.Equal([tracks[1].Uri, tracks[2].Uri], reconciled.Live.Select(p => p.Track.Uri));
        Assert.All(reconciled.Live, p => Assert.True(p.MsPlayed < 30_000));
        Assert.Equal(3, reconciled.Settled.Length);
    }

    [Fact]
    public void ARepeatOfTheSameTrackIsTwoPlays()
    {
        var a = Track("a", 180_000);
        See(Playing(a, 100_000), T0);
        See(Playing(a, 160_000), T0.AddSeconds(60));
        var step = See(Playing(a, 1_500), T0.AddSeconds(81.5));      // ended at T0 + 80 s, started over

        var ended = Assert.Single(step.Ended);
        Assert.False(step.SkipDetected);
        Assert.Equal(T0.AddSeconds(80), ended.EndedAt);
        Assert.Equal(180_000, ended.MsPlayed);
        Assert.Equal(T0.AddSeconds(80), Capture.Current!.StartedAt);

        // Recently-played lists both plays (different played_at): each live observation matches its own.
        See(Playing(Track("b"), 1_500), T0.AddSeconds(261.5));
        var reconciled = Capture.Reconcile([Listed(a, T0.AddSeconds(260)), Listed(a, T0.AddSeconds(80))], T0.AddMinutes(10));
        Assert.Empty(reconciled.Live);
        Assert.All(reconciled.Listed, p => Assert.Equal(180_000, p.MsPlayed));
    }

    [Fact]
    public void ASeekBackWithinThePlayIsNotARepeat()
    {
        var a = Track("a", 300_000);
        See(Playing(a, 150_000), T0);
        // 20 s later the progress is at 60 s: a seek back of 110 s, not a start from 0 (it could not be at 60 s otherwise).
        var step = See(Playing(a, 60_000), T0.AddSeconds(20));
        Assert.Empty(step.Ended);
        See(Playing(a, 120_000), T0.AddSeconds(80));

        // The play goes on to its end; its listening time is the time it played, not its progress.
        var ended = Assert.Single(See(Playing(Track("b"), 2_000), T0.AddSeconds(262)).Ended);
        Assert.Equal(T0.AddSeconds(260), ended.EndedAt);
        Assert.Equal(150_000 + 20_000 + 60_000 + 180_000, ended.MsPlayed);
    }

    [Fact]
    public void APauseOverTheEndOfATrackCountsOnlyTheTimePlayed()
    {
        var a = Track("a", 200_000);
        See(Playing(a, 150_000), T0);
        See(Paused(a, 195_000), T0.AddSeconds(50));                   // paused 5 s before the end
        See(Paused(a, 195_000), T0.AddMinutes(10));
        var ended = Assert.Single(See(Playing(Track("b"), 3_000), T0.AddMinutes(20)).Ended);

        // The resume was not seen: what counts is what was seen played (the last 5 s may or may not have been heard).
        Assert.Equal(195_000, ended.MsPlayed);
        Assert.Equal(T0.AddMinutes(20).AddSeconds(-3), ended.EndedAt);

        // Recently-played lists it at the real end (after the pause): that is this play, not another.
        var reconciled = Capture.Reconcile([Listed(a, T0.AddMinutes(20).AddSeconds(-2))], T0.AddMinutes(30));
        Assert.Empty(reconciled.Live);
        Assert.Equal(195_000, Assert.Single(reconciled.Listed).MsPlayed);
    }

    [Fact]
    public void ASingleSightingThatRecentlyPlayedListsIsThatPlay()
    {
        var a = Track("a", 200_000);
        See(Playing(a, 120_000), T0);
        See(null, T0.AddSeconds(95));                                 // stopped (or a blip): not ended yet
        Assert.Empty(Capture.Pending);
        var step = See(null, T0.AddSeconds(110));                     // a second poll agrees
        var ended = Assert.Single(step.Ended);
        Assert.Equal(T0.AddSeconds(80), ended.EndedAt);               // the natural end came before the poll that saw nothing
        Assert.Equal(T0, ended.EndEarliest);

        var reconciled = Capture.Reconcile([Listed(a, T0.AddSeconds(80.4))], T0.AddMinutes(5));
        Assert.Empty(reconciled.Live);
        Assert.Equal(200_000, Assert.Single(reconciled.Listed).MsPlayed);
    }

    [Fact]
    public void ABlipOfNothingDoesNotEndThePlay()
    {
        var a = Track("a", 200_000);
        See(Playing(a, 20_000), T0);
        See(null, T0.AddSeconds(30));
        var step = See(Playing(a, 80_000), T0.AddSeconds(60));
        Assert.Empty(step.Ended);
        Assert.Null(Capture.Current!.MissingSince);
        Assert.Equal(80_000, Capture.Current.ListenedMs);
    }

    [Fact]
    public void ASightingRecentlyPlayedNeverListsIsStoredLiveOnceSettled()
    {
        var a = Track("a", 200_000);
        See(Playing(a, 60_000), T0);
        See(Playing(Track("b"), 5_000), T0.AddSeconds(145));          // a ended at T0 + 140 s after 200 s

        // A read before the settle window: neither listed nor given up on.
        Assert.Empty(Capture.Reconcile([], T0.AddSeconds(150)).Live);
        // A read listing another play of the same track long before: not this play.
        var reconciled = Capture.Reconcile([Listed(a, T0.AddMinutes(-30))], T0.AddSeconds(140) + Options.HistorySettle);
        var live = Assert.Single(reconciled.Live);
        Assert.Equal((T0.AddSeconds(140), 200_000L), (live.PlayedAt, live.MsPlayed!.Value));
        Assert.Null(Assert.Single(reconciled.Listed).MsPlayed);
    }

    [Fact]
    public void AnItemSeenOnlyPausedIsNoPlay()
    {
        var a = Track("a");
        See(Paused(a, 50_000), T0);
        See(Paused(a, 50_000), T0.AddMinutes(5));
        var step = See(Playing(Track("b"), 1_000), T0.AddMinutes(10));
        Assert.Empty(step.Ended);
        Assert.True(step.FreshStart is false);
    }

    [Fact]
    public void APrivateSessionRecordsNothing()
    {
        var a = Track("a");
        var privately = Playing(a, 10_000) with { PrivateSession = true };
        See(privately, T0);
        See(privately with { ProgressMs = 70_000 }, T0.AddSeconds(60));
        See(Playing(Track("b"), 1_000) with { PrivateSession = true }, T0.AddSeconds(200));
        See(null, T0.AddSeconds(260));
        Assert.Null(Capture.Current);
        Assert.Empty(Capture.Pending);
    }

    [Fact]
    public void EpisodesAndLocalFilesAreReadyOnceEndedWithoutWaitingForRecentlyPlayed()
    {
        See(Playing(Episode, 600_000, LiveKind.Episode), T0);
        See(Playing(Local, 1_000, LiveKind.LocalFile), T0.AddMinutes(5).AddSeconds(1));
        See(Playing(Track("c"), 2_000), T0.AddMinutes(8).AddSeconds(2));

        var ready = Capture.ReadyWithoutHistory();
        Assert.Equal([Episode.Uri, Local.Uri], ready.Select(p => p.Track.Uri));
        Assert.Equal(900_000, ready[0].MsPlayed);
        Assert.Equal(180_000, ready[1].MsPlayed);
        Assert.All(ready, p => Assert.Equal(PlaySource.Live, p.ToLivePlay().Source));
        Assert.Equal(0, _state.PlaysEndedSinceHistory);

        Capture.Stored(ready);
        Assert.Empty(Capture.ReadyWithoutHistory());
    }

    [Fact]
    public void AnAdOrAnUnknownItemIsNeverRecordedButEndsTheTrackBeforeIt()
    {
        var a = Track("a", 200_000);
        See(Playing(a, 150_000), T0);
        var ad = new LiveObservation("ad", null, LiveKind.Track, null, true, 5_000, false);
        var step = See(ad, T0.AddSeconds(55));
        Assert.Single(step.Ended);
        Assert.Null(Capture.Current);
        Assert.Empty(See(ad with { ProgressMs = 25_000 }, T0.AddSeconds(75)).Ended);
    }

    [Fact]
    public void PendingObservationsSurviveARestartThroughTheState()
    {
        var a = Track("a");
        See(Playing(a, 10_000), T0);
        See(Playing(Track("b"), 1_000), T0.AddSeconds(11));

        // A new activation: a new capture over the same (persisted) state.
        var afterRestart = new LivePlayCapture(_state, Options);
        Assert.Single(afterRestart.Pending);
        var reconciled = afterRestart.Reconcile([], T0.AddMinutes(10));
        Assert.Single(reconciled.Live);

        // Stored, then offered again (a crash before the state was saved): the same play, at the same instant.
        var again = new LivePlayCapture(_state, Options).Reconcile([], T0.AddMinutes(12));
        Assert.Equal(reconciled.Live, again.Live);
    }

    [Fact]
    public void AListedPlayMatchesOnlyWithinTheTolerance()
    {
        var a = Track("a", 200_000);
        See(Playing(a, 100_000), T0);
        See(Playing(Track("b"), 1_000), T0.AddSeconds(101));          // a ended at T0 + 100 s
        var end = T0.AddSeconds(100);

        var far = Capture.Reconcile([Listed(a, end + LivePlayCapture.MatchTolerance + TimeSpan.FromSeconds(1))], end + Options.HistorySettle);
        Assert.Single(far.Live);

        var near = Capture.Reconcile([Listed(a, end - LivePlayCapture.MatchTolerance)], end + Options.HistorySettle);
        Assert.Empty(near.Live);
        Assert.Equal(200_000, Assert.Single(near.Listed).MsPlayed);
    }

    [Fact]
    public void PollsThatMissedItemsInBetweenEndTheWatchedTrackAtItsNaturalEnd()
    {
        var a = Track("a", 200_000);
        See(Playing(a, 100_000), T0);                                 // natural end at T0 + 100 s
        // Polls failed for minutes: the next success sees a third track; another played unseen in between.
        var ended = Assert.Single(See(Playing(Track("c"), 20_000), T0.AddMinutes(6)).Ended);
        Assert.Equal(T0.AddSeconds(100), ended.EndedAt);
        Assert.Equal(T0, ended.EndEarliest);
        Assert.Equal(200_000, ended.MsPlayed);

        var reconciled = Capture.Reconcile([Listed(a, T0.AddSeconds(100))], T0.AddMinutes(10));
        Assert.Empty(reconciled.Live);
    }
}
