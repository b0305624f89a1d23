using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>The gap rule (<see cref="HistoryGapDetector"/>) and a gap's overlap with a stats range, without a cluster.</summary>
public sealed class HistoryGapDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset[] Read(int count, DateTimeOffset oldest) => [.. Enumerable.Range(0, count).Select(i => oldest.AddMinutes(3 * i)).Reverse()];

    [Fact]
    public void AFullReadWhoseOldestPlayIsLaterThanTheNewestStoredLeavesTheWindowBetweenThem()
    {
        var stored = T0;
        var oldest = T0.AddHours(2);

        Assert.Equal(new GapWindow(stored, oldest), HistoryGapDetector.Detect(Read(50, oldest), stored, stored));
        Assert.Equal(new GapWindow(stored, stored.AddMilliseconds(1)), HistoryGapDetector.Detect(Read(50, stored.AddMilliseconds(1)), stored, null));
    }

    [Fact]
    public void AReadThatReachesBackOrIsNotFullOrIsTheFirstLeavesNoGap()
    {
        // Reaches back: the oldest play is the newest stored one (the reads overlap), or older.
        Assert.Null(HistoryGapDetector.Detect(Read(50, T0), T0, T0));
        Assert.Null(HistoryGapDetector.Detect(Read(50, T0.AddMinutes(-30)), T0, T0));

        // Fewer than 50: everything since the last read.
        Assert.Null(HistoryGapDetector.Detect(Read(49, T0.AddHours(2)), T0, T0));
        Assert.Null(HistoryGapDetector.Detect(Read(0, T0.AddHours(2)), T0, T0));

        // The listener's first read (no cursor): nothing read before it, even with plays an import stored meanwhile.
        Assert.Null(HistoryGapDetector.Detect(Read(50, T0.AddHours(2)), null, null));
        Assert.Null(HistoryGapDetector.Detect(Read(50, T0.AddHours(2)), null, T0));
        Assert.False(HistoryGapDetector.MayLeaveGap(50, null));
        Assert.False(HistoryGapDetector.MayLeaveGap(49, T0));
        Assert.True(HistoryGapDetector.MayLeaveGap(50, T0));
    }

    [Fact]
    public void TheHistoryReachesTheLaterOfTheCursorAndTheNewestStoredPlay()
    {
        Assert.Equal(T0.AddHours(1), HistoryGapDetector.Reached(T0, T0.AddHours(1)));
        Assert.Equal(T0.AddHours(1), HistoryGapDetector.Reached(T0.AddHours(1), T0));
        Assert.Equal(T0, HistoryGapDetector.Reached(T0, null));
        Assert.Equal(T0, HistoryGapDetector.Reached(null, T0));
        Assert.Null(HistoryGapDetector.Reached(null, null));

        // An import stored plays after the cursor: the read reaches back to them, no gap; one that does not, a gap after them.
        // (The cursor alone, the stored plays unread: the same.)
        Assert.Equal(new GapWindow(T0, T0.AddHours(3)), HistoryGapDetector.Detect(Read(50, T0.AddHours(3)), T0, null));
        Assert.Null(HistoryGapDetector.Detect(Read(50, T0.AddHours(3)), T0, T0.AddHours(4)));
        Assert.Equal(new GapWindow(T0.AddHours(2), T0.AddHours(3)), HistoryGapDetector.Detect(Read(50, T0.AddHours(3)), T0, T0.AddHours(2)));
    }

    [Fact]
    public void AGapTouchesARangeOnlyWhereAMissingPlayCouldEndInIt()
    {
        // Missing plays end strictly between From and To, to the millisecond; a range is [from, to).
        var gap = new HistoryGap(T0, T0.AddHours(2), T0.AddHours(3), null);
        const int Ms = 1;

        Assert.True(gap.Overlaps(null, null));
        Assert.True(gap.Overlaps(T0.AddHours(1), T0.AddHours(1).AddMilliseconds(Ms)));
        Assert.True(gap.Overlaps(T0.AddDays(-1), T0.AddDays(1)));

        // Ends at From, or one millisecond after it: the range's last instant is From, a stored play, not a missing one.
        Assert.False(gap.Overlaps(T0.AddDays(-1), T0));
        Assert.False(gap.Overlaps(null, T0.AddMilliseconds(Ms)));
        Assert.True(gap.Overlaps(null, T0.AddMilliseconds(2 * Ms)));

        // Starts at To: the read's oldest play, not missing; one millisecond before it, a missing play could end there.
        Assert.False(gap.Overlaps(T0.AddHours(2), null));
        Assert.True(gap.Overlaps(T0.AddHours(2).AddMilliseconds(-Ms), null));
        Assert.False(gap.Overlaps(T0.AddHours(5), T0.AddHours(6)));

        // A gap of one millisecond has no room for a missing play.
        Assert.False(new HistoryGap(T0, T0.AddMilliseconds(Ms), T0, null).Overlaps(null, null));
    }
}
