using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

/// <summary>
/// The buckets of a timeline (local days, weeks from Monday, calendar months) and how many a range holds: a
/// timeline answers at most <see cref="MaxBuckets"/> of them, so its answer stays small whatever the range.
/// </summary>
public static class TimelineBuckets
{
    /// <summary>The most points one timeline answers (10,000 days is over 27 years; weeks and months go further).</summary>
    public const int MaxBuckets = 10_000;

    /// <summary>The bucket a local day falls in.</summary>
    public static DateOnly Start(DateOnly day, TimelineBucket bucket) => bucket switch
    {
        TimelineBucket.Week => DateOnly.FromDayNumber(day.DayNumber - (((int)day.DayOfWeek + 6) % 7)),
        TimelineBucket.Month => new DateOnly(day.Year, day.Month, 1),
        _ => day,
    };

    /// <summary>The <paramref name="index"/>-th bucket after <paramref name="first"/> (a bucket start).</summary>
    public static DateOnly At(DateOnly first, int index, TimelineBucket bucket) => bucket switch
    {
        TimelineBucket.Week => first.AddDays(7 * index),
        TimelineBucket.Month => first.AddMonths(index),
        _ => first.AddDays(index),
    };

    /// <summary>How many buckets run from the one holding <paramref name="firstDay"/> to the one holding <paramref name="lastDay"/> (0 when last is before first).</summary>
    public static long Count(DateOnly firstDay, DateOnly lastDay, TimelineBucket bucket)
    {
        if (lastDay < firstDay)
        {
            return 0;
        }

        var first = Start(firstDay, bucket);
        var last = Start(lastDay, bucket);
        return bucket switch
        {
            TimelineBucket.Week => ((last.DayNumber - first.DayNumber) / 7) + 1,
            TimelineBucket.Month => ((last.Year - first.Year) * 12L) + last.Month - first.Month + 1,
            _ => last.DayNumber - first.DayNumber + 1L,
        };
    }

    /// <summary>
    /// How many buckets a timeline of [<paramref name="from"/>, <paramref name="to"/>) has in <paramref name="clock"/>'s
    /// zone: the local day of <paramref name="from"/> to the local day of the last instant before <paramref name="to"/>.
    /// </summary>
    public static long Count(LocalClock clock, DateTimeOffset from, DateTimeOffset to, TimelineBucket bucket)
    {
        from = LocalClock.Clamp(from);
        to = LocalClock.Clamp(to);
        return to <= from ? 0 : Count(clock.Date(from.ToUnixTimeMilliseconds()), clock.Date(to.ToUnixTimeMilliseconds() - 1), bucket);
    }
}
