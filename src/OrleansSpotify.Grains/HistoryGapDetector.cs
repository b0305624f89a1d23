using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>
/// The rule for a gap in an account's history. Recently-played answers the newest <see cref="PageSize"/> plays at
/// most: a read that holds fewer is everything since the previous one; a full read whose oldest play is at or before
/// the newest play stored before it overlaps what is stored. A full read whose oldest play is later may have lost the
/// plays in between (more than 50 piled up between two reads): the window (newest stored play, oldest read play) is a
/// gap. The listener's first read (no cursor yet) records none: nothing was read before it to be missing from (plays
/// an import or the demo's seeding stores meanwhile are that history, not a read that fell short).
/// </summary>
public static class HistoryGapDetector
{
    /// <summary>The most items one read of recently-played returns (Spotify's <c>limit</c> cap, the listener's read).</summary>
    public const int PageSize = 50;

    /// <summary>
    /// The gap a read of <paramref name="items"/> plays, the oldest ending at <paramref name="oldestRead"/>, leaves after
    /// <paramref name="newestStored"/> (the newest play stored before the read, or the listener's cursor; null: nothing
    /// stored); null when it leaves none.
    /// </summary>
    public static GapWindow? Detect(int items, DateTimeOffset? oldestRead, DateTimeOffset? newestStored) =>
        items >= PageSize && oldestRead is { } oldest && newestStored is { } stored && oldest > stored
            ? new GapWindow(stored, oldest)
            : null;

    /// <summary>
    /// The gap one read (its plays' <c>played_at</c>s) leaves after what the history reaches: the later of the listener's
    /// <paramref name="cursor"/> and the <paramref name="newestStored"/> play. None on the first read (no cursor).
    /// </summary>
    public static GapWindow? Detect(IReadOnlyCollection<DateTimeOffset> readPlayedAt, DateTimeOffset? cursor, DateTimeOffset? newestStored) =>
        cursor is null ? null : Detect(readPlayedAt.Count, readPlayedAt.Count > 0 ? readPlayedAt.Min() : null, Reached(cursor, newestStored));

    /// <summary>Whether a read of <paramref name="items"/> with the listener's <paramref name="cursor"/> can leave a gap at all (to skip the database read).</summary>
    public static bool MayLeaveGap(int items, DateTimeOffset? cursor) => items >= PageSize && cursor is not null;

    /// <summary>The later of the cursor and the newest stored play: what the account's history is known to reach.</summary>
    public static DateTimeOffset? Reached(DateTimeOffset? cursor, DateTimeOffset? newestStored) =>
        cursor is { } c && (newestStored is null || c > newestStored) ? c : newestStored;
}

/// <summary>A gap's window: plays that ended strictly between <see cref="From"/> and <see cref="To"/> may be missing.</summary>
public readonly record struct GapWindow(DateTimeOffset From, DateTimeOffset To)
{
    public HistoryGap Open(DateTimeOffset detectedAt) => new(From, To, detectedAt, null);
}
