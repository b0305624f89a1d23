using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace OrleansSpotify.Storage.Tests;

/// <summary>/readyz's database write: real and committed, failing on a full database, cached per interval.</summary>
public sealed class DatabaseReadinessTests
{
    private const long OneMegabyte = 1024 * 1024;

    [Fact]
    public void TheProbeCommitsAHeartbeatThatAnotherConnectionReads()
    {
        using var db = new TestDatabase();
        Assert.True(db.Database.ProbeWrite(TestDatabase.T0, OneMegabyte).Ready);
        Assert.Equal(TestDatabase.T0.ToUnixTimeMilliseconds(), Heartbeat(db));

        var later = TestDatabase.T0.AddMinutes(1);
        var check = db.Database.ProbeWrite(later, OneMegabyte);
        Assert.True(check.Ready, check.Detail);
        Assert.Equal(later.ToUnixTimeMilliseconds(), Heartbeat(db));
        Assert.True(check.FreeBytes >= OneMegabyte);
        Assert.Contains("accepts writes", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AFullDatabaseIsReportedItsWritesFailAsOutagesAndItsReadsGoOn()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        writer.Write([new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("t0"), TestDatabase.T0))]);

        // The disk is "full": the database may not grow beyond its current size.
        db.Database.MaxPageCount = 1;
        var full = db.Database.ProbeWrite(TestDatabase.T0, OneMegabyte);
        Assert.False(full.Ready);
        Assert.Contains("full", full.Detail, StringComparison.Ordinal);
        Assert.Contains("size cap", full.Detail, StringComparison.Ordinal);

        var plays = Enumerable.Range(1, 200)
            .Select(i => new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("t" + i, new string('x', 200), "Artist " + i), TestDatabase.T0.AddMinutes(i))))
            .ToList();
        var refused = Assert.Throws<SqliteException>(() => writer.Write(plays));
        Assert.True(SqliteDatabase.IsWriteOutage(refused));
        Assert.StartsWith("SQLITE_FULL (13)", SqliteDatabase.Describe(refused), StringComparison.Ordinal);
        Assert.Equal(1, db.Queries.CountPlays("alex"));

        // Room again: ready, and the same plays are written in full.
        db.Database.MaxPageCount = null;
        Assert.True(db.Database.ProbeWrite(TestDatabase.T0, OneMegabyte).Ready);
        Assert.All(writer.Write(plays), Assert.True);
        Assert.Equal(201, db.Queries.CountPlays("alex"));
    }

    [Fact]
    public void AnOperatorsSizeCapCountsAsTheRoomLeft()
    {
        using var db = new TestDatabase();
        var pages = PageCount(db);
        db.Database.MaxPageCount = pages + 100;   // 400 KiB of room: enough for 100 KiB, not for 1 MiB
        Assert.True(db.Database.ProbeWrite(TestDatabase.T0, 100 * 1024).Ready);
        var check = db.Database.ProbeWrite(TestDatabase.T0, OneMegabyte);
        Assert.False(check.Ready);
        Assert.InRange(check.FreeBytes!.Value, 100 * 4096, 110 * 4096);
    }

    [Fact]
    public async Task ProbesWithinTheIntervalShareOneWriteAndTheNextOneSeesTheChange()
    {
        using var db = new TestDatabase();
        var clock = new FakeTimeProvider(TestDatabase.T0);
        var options = Microsoft.Extensions.Options.Options.Create(new StorageOptions
        {
            DataDirectory = db.Directory,
            MinFreeBytes = OneMegabyte,
            WriteProbeInterval = TimeSpan.FromSeconds(2),
        });
        var readiness = new DatabaseReadiness(db.Database, options, clock, NullLogger<DatabaseReadiness>.Instance);
        var ct = TestContext.Current.CancellationToken;

        var first = await readiness.CheckAsync(ct);
        Assert.True(first.Ready);
        db.Database.MaxPageCount = 1;
        clock.Advance(TimeSpan.FromSeconds(1));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => readiness.CheckAsync(ct)));
        Assert.All(concurrent, c => Assert.Same(first, c));
        Assert.Equal(TestDatabase.T0.ToUnixTimeMilliseconds(), Heartbeat(db));

        clock.Advance(TimeSpan.FromSeconds(1));
        var full = await readiness.CheckAsync(ct);
        Assert.False(full.Ready);
        Assert.Equal(clock.GetUtcNow(), full.CheckedAt);

        db.Database.MaxPageCount = null;
        Assert.Same(full, await readiness.CheckAsync(ct));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await readiness.CheckAsync(ct)).Ready);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), Heartbeat(db));
    }

    private static long Heartbeat(TestDatabase db)
    {
        using var connection = new SqliteConnection(db.Options.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT updated_at FROM app_state WHERE key = 'readiness-heartbeat';";
        return (long)command.ExecuteScalar()!;
    }

    private static long PageCount(TestDatabase db)
    {
        using var connection = db.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count;";
        return (long)command.ExecuteScalar()!;
    }
}
