using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests;

/// <summary><see cref="HistoryGapStore"/> on a real SQLite file: idempotent recording, merging, closing, the range and household reads.</summary>
public sealed class HistoryGapStoreTests
{
    private static readonly DateTimeOffset T0 = TestDatabase.T0;

    [Fact]
    public void AWindowSeenAgainIsRecordedOnceAndOverlappingWindowsMergeIntoOne()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        var gaps = new HistoryGapStore(db.Database);

        Assert.True(gaps.Record("alex", T0, T0.AddHours(2), T0.AddHours(3)));
        Assert.False(gaps.Record("alex", T0, T0.AddHours(2), T0.AddHours(4)));
        Assert.False(gaps.Record("alex", T0.AddMinutes(10), T0.AddHours(1), T0.AddHours(4)));
        Assert.Equal([new HistoryGap(T0, T0.AddHours(2), T0.AddHours(3), null)], gaps.List("alex"));

        // Overlapping (later end) and touching windows widen the open gap; it keeps its first detection.
        Assert.True(gaps.Record("alex", T0.AddHours(1), T0.AddHours(5), T0.AddHours(6)));
        Assert.True(gaps.Record("alex", T0.AddHours(-1), T0, T0.AddHours(7)));
        Assert.Equal([new HistoryGap(T0.AddHours(-1), T0.AddHours(5), T0.AddHours(3), null)], gaps.List("alex"));

        // A window bridging two open gaps merges all three; a separate one stays apart.
        Assert.True(gaps.Record("alex", T0.AddHours(10), T0.AddHours(11), T0.AddHours(12)));
        Assert.True(gaps.Record("alex", T0.AddDays(2), T0.AddDays(2).AddHours(1), T0.AddDays(2).AddHours(2)));
        Assert.True(gaps.Record("alex", T0.AddHours(4), T0.AddHours(10).AddMinutes(30), T0.AddHours(13)));
        Assert.Equal(
            [new HistoryGap(T0.AddHours(-1), T0.AddHours(11), T0.AddHours(3), null), new HistoryGap(T0.AddDays(2), T0.AddDays(2).AddHours(1), T0.AddDays(2).AddHours(2), null)],
            gaps.List("alex"));

        // Another account's gaps are its own; an unknown account records nothing.
        Assert.Empty(gaps.List("sam"));
        Assert.False(gaps.Record("sam", T0, T0.AddHours(1), T0));
        Assert.Throws<ArgumentException>(() => gaps.Record("alex", T0, T0, T0));
    }

    [Fact]
    public void AnImportSpanningAGapClosesItAndOnlyThoseItSpans()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        db.Accounts.Upsert("sam", "sam", "Sam", T0, T0);
        var gaps = new HistoryGapStore(db.Database);
        gaps.Record("alex", T0, T0.AddHours(2), T0.AddHours(3));
        gaps.Record("alex", T0.AddDays(1), T0.AddDays(1).AddHours(2), T0.AddDays(1).AddHours(3));
        gaps.Record("sam", T0, T0.AddHours(2), T0.AddHours(3));

        // Short by a millisecond at either end: not covered.
        Assert.Equal(0, gaps.CloseCovered("alex", T0.AddMilliseconds(1), T0.AddHours(3), HistoryGap.ClosedByImport, T0.AddDays(4)));
        Assert.Equal(0, gaps.CloseCovered("alex", T0.AddDays(-1), T0.AddHours(2).AddMilliseconds(-1), HistoryGap.ClosedByImport, T0.AddDays(4)));

        // First row at the gap's start, last at its end: closed, that account's alone, the later gap left open.
        Assert.Equal(1, gaps.CloseCovered("alex", T0, T0.AddHours(2), HistoryGap.ClosedByImport, T0.AddDays(4)));
        Assert.Equal(
            [new HistoryGap(T0, T0.AddHours(2), T0.AddHours(3), "import"), new HistoryGap(T0.AddDays(1), T0.AddDays(1).AddHours(2), T0.AddDays(1).AddHours(3), null)],
            gaps.List("alex"));
        Assert.Null(Assert.Single(gaps.List("sam")).ClosedBy);

        // A window within a closed gap is not recorded again (the import filled it); one beyond it is a new open gap.
        Assert.False(gaps.Record("alex", T0.AddMinutes(5), T0.AddHours(1), T0.AddDays(5)));
        Assert.True(gaps.Record("alex", T0.AddHours(1), T0.AddHours(4), T0.AddDays(5)));
        Assert.Equal(3, gaps.List("alex").Count);
        Assert.Equal([new HistoryGap(T0.AddHours(1), T0.AddHours(4), T0.AddDays(5), null)], gaps.OpenWithin("alex", null, T0.AddHours(3)));
    }

    [Fact]
    public void TheOpenGapsOfARangeAreThoseWhereAMissingPlayCouldEndInIt()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        db.Accounts.Upsert("sam", "sam", "Sam", T0, T0);
        db.Accounts.Upsert("robin", "robin", "Robin", T0, T0);
        db.Accounts.SetSharing("robin", false, T0);
        var gaps = new HistoryGapStore(db.Database);
        gaps.Record("alex", T0, T0.AddHours(2), T0.AddHours(3));
        gaps.Record("sam", T0.AddDays(1), T0.AddDays(1).AddHours(1), T0.AddDays(2));
        gaps.Record("robin", T0, T0.AddHours(2), T0.AddHours(3));

        var alex = new HistoryGap(T0, T0.AddHours(2), T0.AddHours(3), null);
        Assert.Equal([alex], gaps.OpenWithin("alex", null, null));
        Assert.Equal([alex], gaps.OpenWithin("alex", T0.AddHours(1), T0.AddHours(1).AddMilliseconds(1)));
        Assert.Empty(gaps.OpenWithin("alex", T0.AddDays(-1), T0));
        Assert.Empty(gaps.OpenWithin("alex", T0.AddDays(-1), T0.AddMilliseconds(1)));
        Assert.Equal([alex], gaps.OpenWithin("alex", T0.AddDays(-1), T0.AddMilliseconds(2)));
        Assert.Empty(gaps.OpenWithin("alex", T0.AddHours(2), T0.AddDays(1)));
        Assert.Equal([alex], gaps.OpenWithin("alex", T0.AddHours(2).AddMilliseconds(-1), T0.AddDays(1)));

        // The household's: every sharing member's, none of a private member's.
        Assert.Equal(2, gaps.OpenWithinHousehold(null, null).Count);
        Assert.Equal([alex], gaps.OpenWithinHousehold(null, T0.AddDays(1)));

        gaps.CloseCovered("alex", T0, T0.AddHours(2), HistoryGap.ClosedByImport, T0.AddDays(1));
        Assert.Empty(gaps.OpenWithin("alex", null, null));
        Assert.Single(gaps.OpenWithinHousehold(null, null));
    }

    [Fact]
    public void TheNewestHistoryPlayIsTheNewestPlayReadOrImported()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", T0, T0);
        var gaps = new HistoryGapStore(db.Database);
        Assert.Null(gaps.NewestHistoryPlay("alex"));
        Assert.Null(gaps.NewestHistoryPlay("nobody"));

        using var writer = new PlayWriter(db.Database);
        writer.Write([
            new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("a1"), T0)),
            new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("a2"), T0.AddMinutes(4)) with { Source = PlaySource.ImportExtendedHistory }),
        ]);
        Assert.Equal(T0.AddMinutes(4), gaps.NewestHistoryPlay("alex"));
    }
}
