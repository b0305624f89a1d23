namespace OrleansSpotify.Storage.Tests;

public sealed class PlayQueriesTests
{
    [Fact]
    public void KeysetPagingWalksEveryPlayOnceNewestFirst()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        var plays = Enumerable.Range(0, 23)
            .Select(i => new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("t" + (i % 5)), TestDatabase.T0.AddMinutes(3 * i))))
            .ToList();
        writer.Write(plays);

        var seen = new List<DateTimeOffset>();
        DateTimeOffset? before = null;
        do
        {
            var page = db.Queries.GetPlays("alex", null, null, before, 5)!;
            seen.AddRange(page.Plays.Select(p => p.PlayedAt));
            before = page.NextBefore;
        }
        while (before is not null);

        Assert.Equal(plays.Select(p => p.Play.PlayedAt).OrderDescending(), seen);
    }

    [Fact]
    public void FromIsInclusiveAndToIsExclusive()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        writer.Write([.. Enumerable.Range(0, 10).Select(i => new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("t" + i), TestDatabase.T0.AddHours(i))))]);

        var page = db.Queries.GetPlays("alex", TestDatabase.T0.AddHours(2), TestDatabase.T0.AddHours(5), null, 100)!;

        Assert.Equal([4, 3, 2], page.Plays.Select(p => (int)(p.PlayedAt - TestDatabase.T0).TotalHours));
        Assert.Null(page.NextBefore);
    }

    [Fact]
    public void UnknownAccountHasNoPage()
    {
        using var db = new TestDatabase();
        Assert.Null(db.Queries.GetPlays("ghost", null, null, null, 10));
    }
}
