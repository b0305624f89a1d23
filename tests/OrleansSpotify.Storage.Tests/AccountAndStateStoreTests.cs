using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests;

public sealed class AccountAndStateStoreTests
{
    [Fact]
    public void SignInAgainRefreshesTheAccountAndMakesItActive()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex-user", "Alex", TestDatabase.T0, TestDatabase.T0);
        db.Accounts.SetStatus("alex", AccountStatus.NeedsReauth, "revoked", TestDatabase.T0.AddDays(1));
        Assert.Equal(AccountStatus.NeedsReauth, db.Accounts.Get("alex")!.Status);
        Assert.Empty(db.Accounts.ListActiveKeys());

        var later = TestDatabase.T0.AddDays(2);
        var account = db.Accounts.Upsert("alex", "alex-user", "Alex B.", later, later);

        Assert.Equal(AccountStatus.Active, account.Status);
        Assert.Null(account.StatusDetail);
        Assert.Equal("Alex B.", account.DisplayName);
        Assert.Equal(later, account.AuthorizedAt);
        Assert.Equal(TestDatabase.T0, account.CreatedAt);
        Assert.Equal(["alex"], db.Accounts.ListActiveKeys());
    }

    [Fact]
    public void GrainStateWritesAreGuardedByETags()
    {
        using var db = new TestDatabase();
        var store = new GrainStateStore(db.Database);
        Assert.Null(store.Read("listener", "g1"));

        var etag = store.Write("listener", "g1", [1, 2, 3], null, TestDatabase.T0);
        Assert.Equal([1, 2, 3], store.Read("listener", "g1")!.Payload);

        Assert.Throws<GrainStateConflictException>(() => store.Write("listener", "g1", [9], null, TestDatabase.T0));
        Assert.Throws<GrainStateConflictException>(() => store.Write("listener", "g1", [9], "stale", TestDatabase.T0));

        var next = store.Write("listener", "g1", [4], etag, TestDatabase.T0);
        Assert.NotEqual(etag, next);
        store.Clear("listener", "g1", next);
        Assert.Null(store.Read("listener", "g1"));
    }

    [Fact]
    public void SchemaIsAppliedIdempotentlyAndTheDatabaseIsInWalMode()
    {
        using var db = new TestDatabase();
        var again = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(db.Options), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteDatabase>.Instance);
        again.Initialize();

        using var connection = again.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version);";
        Assert.Equal("1,2,3,4,5,6,7,8,9,10,11", command.ExecuteScalar());
        Assert.True(again.ProbeWrite(TestDatabase.T0, minFreeBytes: 0).Ready);

        var kv = new KeyValueStore(again);
        kv.Set("k", "v1", TestDatabase.T0);
        kv.Set("k", "v2", TestDatabase.T0);
        Assert.Equal("v2", kv.Get("k"));
    }
}
