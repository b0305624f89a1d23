using System.Security.Cryptography;
using System.Text;

namespace OrleansSpotify.Storage.Tests;

public sealed class ShareTokenStoreTests
{
    private static readonly DateTimeOffset T0 = TestDatabase.T0;

    [Fact]
    public void ATokenIsFoundByItsTextWhileOnlyItsHashIsStored()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        var store = new ShareTokenStore(db.Database);

        var created = store.Create("alex", "Blog", includeRecent: true, T0)!;

        Assert.Equal(43, created.Token.Length);
        Assert.True(ShareTokenStore.IsWellFormed(created.Token));
        Assert.Equal(created.Token[^4..], created.Stored.Hint);
        Assert.Equal(("alex", "Alex", "Blog", true), (created.Stored.AccountKey, created.Stored.DisplayName, created.Stored.Label, created.Stored.IncludeRecent));
        Assert.Null(created.Stored.LastUsedAt);

        using (var connection = db.Database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT token_hash FROM share_tokens;";
            Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(created.Token)), (byte[])command.ExecuteScalar()!);
            command.CommandText = "SELECT count(*) FROM share_tokens WHERE CAST(token_hash AS TEXT) LIKE '%' || $t || '%' OR hint = $t OR label = $t;";
            command.Parameters.AddWithValue("$t", created.Token);
            Assert.Equal(0L, command.ExecuteScalar());
        }

        var found = store.Find(created.Token, T0.AddMinutes(5))!;
        Assert.Equal(created.Stored.Id, found.Id);
        Assert.Equal(T0.AddMinutes(5), found.LastUsedAt);
        Assert.Equal(T0.AddMinutes(5), store.List("alex").Single().LastUsedAt);

        // Uses within a minute of the last recorded one are not written again.
        store.Find(created.Token, T0.AddMinutes(5.5));
        Assert.Equal(T0.AddMinutes(5), store.List("alex").Single().LastUsedAt);

        Assert.Null(store.Find(created.Token[..^1] + (created.Token[^1] == 'A' ? 'B' : 'A'), T0));
        Assert.Null(store.Find("short", T0));
        Assert.Null(store.Find(null, T0));
        Assert.Null(store.Find(new string('!', 43), T0));
    }

    [Fact]
    public void TokensAreListedPerAccountAndOnlyTheirOwnerCanRevokeThem()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        db.Accounts.Upsert("sam", "sam", "Sam", T0, T0);
        var store = new ShareTokenStore(db.Database);
        var first = store.Create("alex", "One", false, T0)!;
        var second = store.Create("alex", "Two", true, T0.AddMinutes(1))!;
        var sams = store.Create("sam", "Sam's", false, T0)!;

        Assert.Null(store.Create("ghost", "Nobody", false, T0));
        Assert.Equal(["Two", "One"], store.List("alex").Select(t => t.Label));
        Assert.NotEqual(first.Token, second.Token);

        Assert.False(store.Delete("alex", sams.Stored.Id));
        Assert.True(store.Exists(sams.Stored.Id));
        Assert.True(store.Delete("alex", first.Stored.Id));
        Assert.False(store.Delete("alex", first.Stored.Id));
        Assert.False(store.Exists(first.Stored.Id));

        Assert.Null(store.Find(first.Token, T0));
        Assert.NotNull(store.Find(second.Token, T0));
        Assert.Equal(["Two"], store.List("alex").Select(t => t.Label));

        // A revoked token's id never names another token (live connections are grouped by it), not even the newest's.
        Assert.True(store.Delete("sam", sams.Stored.Id));
        var next = store.Create("sam", "Again", false, T0)!;
        Assert.True(next.Stored.Id > sams.Stored.Id);
    }
}
