using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests;

public sealed class PlayLogTests
{
    [Fact]
    public void TheWriterPacksExactlyTheNewPlaysAcrossChunksInTheSameTransaction()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        db.Accounts.Upsert("sam", "sam", "Sam", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        var count = PlayLogFormat.ChunkCapacity + 100;
        var plays = Enumerable.Range(0, count)
            .Select(i => new PendingPlay(i % 3 == 0 ? "sam" : "alex", TestDatabase.Play(TestDatabase.Track("t" + (i % 50)), TestDatabase.T0.AddMinutes(i))))
            .ToList();
        foreach (var batch in plays.Chunk(700))
        {
            writer.Write(batch);
        }

        writer.Write(plays.Take(800).ToList());   // a re-read: nothing new, nothing packed twice
        var reported = new PlayRecord(TestDatabase.T0.AddDays(-1), TestDatabase.Track("t1"), 123_456, null, null, PlaySource.ImportExtendedHistory);
        writer.Write([new PendingPlay("alex", reported)]);   // backfilled: older than everything else

        var reader = new PlayLogReader(db.Database);
        var alex = reader.Load("alex")!;
        var expected = plays.Where(p => p.AccountKey == "alex").Select(p => p.Play).Append(reported).OrderBy(p => p.PlayedAt).ToList();
        Assert.Equal(expected.Select(p => p.PlayedAt.ToUnixTimeMilliseconds()), alex.PlayedAt);
        Assert.Equal(123_456, alex.Ms[0]);
        Assert.True(alex.MsReported[0]);
        Assert.All(Enumerable.Range(1, alex.Count - 1), i => Assert.False(alex.MsReported[i]));
        Assert.All(Enumerable.Range(1, alex.Count - 1), i => Assert.Equal(200_000, alex.Ms[i]));
        Assert.Equal(plays.Count(p => p.AccountKey == "sam"), reader.Load("sam")!.Count);
        Assert.Equal(0, new PlayLogReader(db.Database).Load("alex")!.LowerBound(long.MinValue));
        Assert.Null(reader.Load("ghost"));
    }

    [Fact]
    public void PlaysStoredBeforeVersionTwoArePackedByTheMigration()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using (var writer = new PlayWriter(db.Database))
        {
            writer.Write([.. Enumerable.Range(0, 30).Select(i => new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("t" + i), TestDatabase.T0.AddMinutes(-i))))]);
        }

        using (var connection = db.Database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM play_log_chunks; DELETE FROM schema_version WHERE version = 2;";
            command.ExecuteNonQuery();
        }

        var reopened = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(db.Options), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteDatabase>.Instance);
        reopened.Initialize();

        var log = new PlayLogReader(reopened).Load("alex")!;
        Assert.Equal(30, log.Count);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => TestDatabase.T0.AddMinutes(-i).ToUnixTimeMilliseconds()).Order(), log.PlayedAt);
    }
}
