using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests;

/// <summary>The play writer's side of live capture: live plays, real ms_played attached, late listings, episodes.</summary>
public sealed class LivePlayWriterTests
{
    private static readonly DateTimeOffset T0 = TestDatabase.T0;

    private static PlayRecord Live(TrackInfo track, DateTimeOffset at, long ms) => new(at, track, ms, null, null, PlaySource.Live);

    private static PlayRecord Listed(TrackInfo track, DateTimeOffset at, long? ms = null) => TestDatabase.Play(track, at) with { MsPlayed = ms };

    private static (TestDatabase Db, PlayWriter Writer) Open()
    {
        var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        return (db, new PlayWriter(db.Database));
    }

    private static IReadOnlyList<StoredPlay> Stored(TestDatabase db) => [.. db.Queries.GetPlays("alex", null, null, null, 100)!.Plays.Reverse()];

    [Fact]
    public void ALiveSkipIsStoredAsASkipAndStaysOutOfTheMusicLog()
    {
        var (db, writer) = Open();
        using (db)
        using (writer)
        {
            var song = TestDatabase.Track("s1");
            Assert.Equal([true], writer.Write([new PendingPlay("alex", Live(song, T0, 12_000))]));

            var stored = Assert.Single(Stored(db));
            Assert.Equal((PlaySource.Live, 12_000L), (stored.Source, stored.MsPlayed!.Value));
            var log = new PlayLogReader(db.Database).Load("alex")!;
            Assert.Equal(0, log.Count);
            Assert.Equal([T0.ToUnixTimeMilliseconds()], log.SkippedAt);
        }
    }

    [Fact]
    public void ALivePlayNearAListedOneIsThatPlayAndGivesItItsRealMsPlayed()
    {
        var (db, writer) = Open();
        using (db)
        using (writer)
        {
            var song = TestDatabase.Track("s2");
            writer.Write([new PendingPlay("alex", Listed(song, T0))]);

            // Live capture saw it end 4 s away and heard only 20 s of it (a skip recently-played listed after all).
            var result = writer.Write([new PendingPlay("alex", Live(song, T0.AddSeconds(4), 20_000))], out var changed);
            Assert.Equal([false], result);
            Assert.Equal([true], changed);

            var stored = Assert.Single(Stored(db));
            Assert.Equal((T0, PlaySource.RecentlyPlayed, 20_000L), (stored.PlayedAt, stored.Source, stored.MsPlayed!.Value));
            var log = new PlayLogReader(db.Database).Load("alex")!;
            Assert.Equal(0, log.Count);
            Assert.Single(log.SkippedAt);

            // Offered again (a restart before the listener saved its state): nothing changes.
            writer.Write([new PendingPlay("alex", Live(song, T0.AddSeconds(4), 20_000))], out changed);
            Assert.Equal([false], changed);
            Assert.Single(Stored(db));
        }
    }

    [Fact]
    public void AListedPlayWithLiveMsPlayedAttachesItToTheStoredRow()
    {
        var (db, writer) = Open();
        using (db)
        using (writer)
        {
            var song = TestDatabase.Track("s3");
            writer.Write([new PendingPlay("alex", Listed(song, T0))]);
            writer.Write([new PendingPlay("alex", Listed(song, T0, 187_000))], out var changed);

            Assert.Equal([true], changed);
            Assert.Equal(187_000, Assert.Single(Stored(db)).MsPlayed);
            var log = new PlayLogReader(db.Database).Load("alex")!;
            Assert.Equal([187_000], log.Ms);
            Assert.Equal([true], log.MsReported);
        }
    }

    [Fact]
    public void ARecentlyPlayedListingThatComesLateTakesOverTheLivePlay()
    {
        var (db, writer) = Open();
        using (db)
        using (writer)
        {
            var song = TestDatabase.Track("s4");
            writer.Write([new PendingPlay("alex", Live(song, T0.AddSeconds(2), 200_000))]);
            var other = TestDatabase.Track("s5");
            var result = writer.Write([new PendingPlay("alex", Listed(song, T0)), new PendingPlay("alex", Listed(other, T0.AddMinutes(4)))], out var changed);

            Assert.Equal([false, true], result);
            Assert.Equal([true, false], changed);
            var stored = Stored(db);
            Assert.Equal([(T0, PlaySource.RecentlyPlayed, (long?)200_000), (T0.AddMinutes(4), PlaySource.RecentlyPlayed, null)], stored.Select(p => (p.PlayedAt, p.Source, p.MsPlayed)));
            var log = new PlayLogReader(db.Database).Load("alex")!;
            Assert.Equal([T0.ToUnixTimeMilliseconds(), T0.AddMinutes(4).ToUnixTimeMilliseconds()], log.PlayedAt);

            // Re-reads of the listing change nothing more; a repeat 3 minutes later is another play.
            writer.Write([new PendingPlay("alex", Listed(song, T0))], out changed);
            Assert.Equal([false], changed);
            Assert.Equal([true], writer.Write([new PendingPlay("alex", Live(song, T0.AddMinutes(3), 180_000))]));
            Assert.Equal(3, Stored(db).Count);
        }
    }

    [Fact]
    public void AnEpisodeIsATrackOfItsOwnKindSummarisedApartFromMusic()
    {
        var (db, writer) = Open();
        using (db)
        using (writer)
        {
            var episode = new TrackInfo("spotify:episode:e1", "e1", "Episode One", 1_800_000, false, false, null, new AlbumInfo("show1", "The Show", "show", null, null), []);
            Assert.Equal([true], writer.Write([new PendingPlay("alex", Live(episode, T0, 1_500_000))]));

            Assert.Equal(0, new PlayLogReader(db.Database).Load("alex")!.Count);
            var beyond = db.Queries.GetListeningBeyondMusic("alex", null, null)!;
            Assert.Equal(new KindSummary(1, 1_500_000, 1), beyond.Episodes);
            Assert.Equal("The Show", Assert.Single(beyond.TopShows).Name);
        }
    }
}
