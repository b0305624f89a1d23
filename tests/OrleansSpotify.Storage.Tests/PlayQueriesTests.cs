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
    public void SearchMatchesTrackArtistOrAlbumCaseInsensitivelyAndPagesLikeTheUnfilteredList()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        var björk = TestDatabase.Track("b", "Hyperballad", "Björk");
        var duet = TestDatabase.Track("d", "Duet", "Someone", "BJÖRK");
        var album = TestDatabase.Track("a", "Plain") with { Album = new Abstractions.AlbumInfo("album-x", "Songs for björk fans", null, null, null) };
        var percent = TestDatabase.Track("p", "100% Pure_Love", "Crystal Waters");
        var other = TestDatabase.Track("o", "Other", "Nobody");
        var tracks = new[] { björk, duet, album, percent, other };
        writer.Write([.. Enumerable.Range(0, 20).Select(i => new PendingPlay("alex", TestDatabase.Play(tracks[i % tracks.Length], TestDatabase.T0.AddMinutes(5 * i))))]);

        var matches = new List<string>();
        DateTimeOffset? before = null;
        do
        {
            var page = db.Queries.GetPlays("alex", null, null, before, 3, "bJöRk")!;
            Assert.True(page.Plays.Count <= 3);
            matches.AddRange(page.Plays.Select(p => p.Track.Name));
            before = page.NextBefore;
        }
        while (before is not null);

        Assert.Equal(12, matches.Count);
        Assert.Equal(["Duet", "Hyperballad", "Plain"], matches.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(4, db.Queries.GetPlays("alex", null, null, null, 100, "% pure_")!.Plays.Count);
        Assert.All(db.Queries.GetPlays("alex", null, null, null, 100, "%")!.Plays, p => Assert.Equal("100% Pure_Love", p.Track.Name));
        Assert.Empty(db.Queries.GetPlays("alex", null, null, null, 100, "zzz")!.Plays);
        Assert.Equal(["Hyperballad"], db.Queries.GetPlays("alex", TestDatabase.T0, TestDatabase.T0.AddMinutes(20), null, 100, "hyper")!.Plays.Select(p => p.Track.Name));
        Assert.Equal(["Björk"], db.Queries.GetPlays("alex", null, null, null, 1, "hyper")!.Plays[0].Track.Artists.Select(a => a.Name));
    }

    [Fact]
    public void TheHouseholdFeedMergesMembersNewestFirstAndShowsAPrivateMemberOnlyToThemselves()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        db.Accounts.Upsert("sam", "sam", "Sam", TestDatabase.T0, TestDatabase.T0);
        db.Accounts.Upsert("robin", "robin", "Robin", TestDatabase.T0, TestDatabase.T0);
        db.Accounts.SetSharing("robin", false, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        var members = new[] { "alex", "sam", "robin" };
        writer.Write([.. Enumerable.Range(0, 30).Select(i => new PendingPlay(members[i % 3], TestDatabase.Play(TestDatabase.Track("t" + i), TestDatabase.T0.AddMinutes(i))))]);

        var forSam = db.Queries.GetHouseholdPlays("sam", 5);
        Assert.Equal([28, 27, 25, 24, 22], forSam.Select(p => (int)(p.Play.PlayedAt - TestDatabase.T0).TotalMinutes));
        Assert.Equal(["sam", "alex", "sam", "alex", "sam"], forSam.Select(p => p.AccountKey));
        Assert.Equal("Sam", forSam[0].DisplayName);
        Assert.NotEmpty(forSam[0].Play.Track.Artists);

        var forRobin = db.Queries.GetHouseholdPlays("robin", 4);
        Assert.Equal([29, 28, 27, 26], forRobin.Select(p => (int)(p.Play.PlayedAt - TestDatabase.T0).TotalMinutes));
        Assert.Equal("robin", forRobin[0].AccountKey);
        Assert.DoesNotContain(db.Queries.GetHouseholdPlays(null, 100), p => p.AccountKey == "robin");
        Assert.Equal(20, db.Queries.GetHouseholdPlays(null, 100).Count);
    }

    [Fact]
    public void TheLatestPlayIsTheNewestEnd()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        Assert.Null(db.Queries.LatestPlayedAt("alex"));
        Assert.Null(db.Queries.LatestPlayedAt("ghost"));
        using var writer = new PlayWriter(db.Database);
        writer.Write([new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("a"), TestDatabase.T0.AddHours(2))), new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("b"), TestDatabase.T0))]);
        Assert.Equal(TestDatabase.T0.AddHours(2), db.Queries.LatestPlayedAt("alex"));
    }

    [Fact]
    public void UnknownAccountHasNoPage()
    {
        using var db = new TestDatabase();
        Assert.Null(db.Queries.GetPlays("ghost", null, null, null, 10));
    }
}
