namespace OrleansSpotify.Abstractions;

/// <summary>
/// A stretch of an account's history where plays may be missing: a full read of recently-played (50 items) began at
/// <see cref="To"/> (its oldest play's end) while the newest play stored before it ended at <see cref="From"/>, so
/// plays that ended in between may never have been read (more than 50 piled up between two reads: downtime, a long
/// offline stretch). <see cref="ClosedBy"/> is null while the gap is open and <c>"import"</c> once an import whose
/// rows span the window has filled it.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.HistoryGap")]
public sealed record HistoryGap(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] DateTimeOffset DetectedAt,
    [property: Id(3)] string? ClosedBy)
{
    /// <summary>The value of <see cref="ClosedBy"/> for a gap an import filled.</summary>
    public const string ClosedByImport = "import";

    /// <summary>
    /// Whether plays missing from the gap could lie in [<paramref name="rangeFrom"/>, <paramref name="rangeTo"/>) (null:
    /// unbounded). A missing play ended strictly between <see cref="From"/> and <see cref="To"/>, to the millisecond:
    /// a range that ends at or just after <see cref="From"/>, or starts at <see cref="To"/>, holds none of them.
    /// </summary>
    public bool Overlaps(DateTimeOffset? rangeFrom, DateTimeOffset? rangeTo)
    {
        // Missing plays end at a millisecond m with From < m < To; the range holds m when rangeFrom <= m < rangeTo.
        var first = From.AddMilliseconds(1);
        var last = To.AddMilliseconds(-1);
        if (rangeFrom is { } lower && lower > first)
        {
            first = lower;
        }

        if (rangeTo is { } upper && upper.AddMilliseconds(-1) < last)
        {
            last = upper.AddMilliseconds(-1);
        }

        return first <= last;
    }
}
