using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests;

public sealed class PlayWriterTests
{
    [Fact]
    public void OverlappingReReadInsertsNothingTwiceButAReplayIsASecondPlay()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        var song = TestDatabase.Track("a1");
        var first = new[] { new PendingPlay("alex", TestDatabase.Play(song, TestDatabase.T0)) };

        Assert.Equal([true], writer.Write(first));
        Assert.Equal([false], writer.Write(first));

        var replay = new[]
        {
            new PendingPlay("alex", TestDatabase.Play(song, TestDatabase.T0)),
            new PendingPlay("alex", TestDatabase.Play(song, TestDatabase.T0.AddMinutes(4))),
        };
        Assert.Equal([false, true], writer.Write(replay));
        Assert.Equal(2, db.Queries.CountPlays("alex"));
    }

    [Fact]
    public void AllArtistsOfATrackAreKeptInOrder()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        var names = new[] { "One", "Two", "Three", "Four", "Five", "Six", "Seven" };
        writer.Write([new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("many", "Posse Cut", names), TestDatabase.T0))]);

        var play = Assert.Single(db.Queries.GetPlays("alex", null, null, null, 10)!.Plays);
        Assert.Equal(names, play.Track.Artists.Select(a => a.Name));
        Assert.Equal("Album many", play.Track.AlbumName);
        Assert.Equal("spotify:album:x", play.ContextUri);
        Assert.Null(play.MsPlayed);
        Assert.Equal(PlaySource.RecentlyPlayed, play.Source);
    }

    [Fact]
    public void AnUnknownAccountFailsTheWholeBatchAndStoresNothing()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        var batch = new[]
        {
            new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("a"), TestDatabase.T0)),
            new PendingPlay("nobody", TestDatabase.Play(TestDatabase.Track("b"), TestDatabase.T0)),
        };

        var error = Assert.Throws<UnknownAccountException>(() => writer.Write(batch));
        Assert.Equal("nobody", error.AccountKey);
        Assert.Equal(0, db.Queries.CountPlays("alex"));

        // The writer is still usable after the rollback, and its caches hold no rolled-back ids.
        Assert.Equal([true], writer.Write([batch[0]]));
        Assert.Equal("Song", Assert.Single(db.Queries.GetPlays("alex", null, null, null, 10)!.Plays).Track.Name);
    }

    [Fact]
    public void PlayedAtKeepsMillisecondsAndUtc()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        var at = new DateTimeOffset(2026, 3, 29, 1, 30, 15, 123, TimeSpan.FromHours(2));
        writer.Write([new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("t"), at))]);

        var stored = Assert.Single(db.Queries.GetPlays("alex", null, null, null, 10)!.Plays);
        Assert.Equal(at, stored.PlayedAt);
        Assert.Equal(TimeSpan.Zero, stored.PlayedAt.Offset);
    }
}
