using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// The first and last days of the calendar in the zones furthest from UTC: midnights clamp to the instants stats
/// know instead of overflowing, bucket counts are exact, and every stat answers over the whole calendar.
/// </summary>
public sealed class CalendarEdgeTests(StatsFixture fixture)
{
    private static readonly string[] FarZones = ["Pacific/Kiritimati", "Etc/GMT+12", "Etc/GMT-14", "Pacific/Pago_Pago", "UTC"];

    [Fact]
    public void TheEdgesOfTheCalendarClampToTheInstantsStatsKnowInEveryZone()
    {
        foreach (var id in FarZones)
        {
            var clock = new LocalClock(StatsFixture.Zone(id));
            Assert.Equal(LocalClock.MinInstant, clock.StartOf(DateOnly.MinValue));
            Assert.Equal(LocalClock.MaxInstant, clock.EndOf(DateOnly.MaxValue));
            Assert.Equal(LocalClock.MaxInstant, clock.StartOf(DateOnly.MaxValue));
            Assert.InRange(clock.StartOf(new DateOnly(2026, 6, 1)), LocalClock.MinInstant, LocalClock.MaxInstant);

            // The local dates of the first and last instants exist, and the day after the last one too.
            var first = clock.Date(LocalClock.MinInstant.ToUnixTimeMilliseconds());
            var last = clock.Date(LocalClock.MaxInstant.ToUnixTimeMilliseconds() - 1);
            Assert.True(first < last && last < DateOnly.MaxValue);
        }

        Assert.Equal(DateTimeOffset.MinValue.AddDays(1), LocalClock.Clamp(DateTimeOffset.MinValue));
        Assert.Equal(LocalClock.MaxInstant, LocalClock.Clamp(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void BucketsAreCountedExactlyUpToTheLastDay()
    {
        Assert.Equal(10_000, TimelineBuckets.Count(new DateOnly(1990, 1, 1), new DateOnly(2017, 5, 18), TimelineBucket.Day));
        Assert.Equal(10_000, TimelineBuckets.Count(new DateOnly(1200, 1, 31), new DateOnly(2033, 4, 1), TimelineBucket.Month));
        Assert.Equal(2, TimelineBuckets.Count(new DateOnly(2026, 11, 29), new DateOnly(2026, 11, 30), TimelineBucket.Week));   // Sunday, Monday
        Assert.Equal(1, TimelineBuckets.Count(new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 6), TimelineBucket.Week));
        Assert.Equal(0, TimelineBuckets.Count(new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 1), TimelineBucket.Day));
        Assert.Equal(DateOnly.MaxValue.DayNumber + 1L, TimelineBuckets.Count(DateOnly.MinValue, DateOnly.MaxValue, TimelineBucket.Day));
        Assert.Equal(9999L * 12, TimelineBuckets.Count(DateOnly.MinValue, DateOnly.MaxValue, TimelineBucket.Month));
        Assert.Equal(new DateOnly(1, 1, 1), TimelineBuckets.Start(new DateOnly(1, 1, 3), TimelineBucket.Week));   // 0001-01-01 is a Monday
    }

    [Fact]
    public void EveryStatAnswersOverTheWholeCalendarInTheFarthestZones()
    {
        foreach (var id in FarZones)
        {
            var engine = fixture.Engine(StatsFixture.Alex, id, StatsFixture.Now);
            var all = new StatsRequest(LocalClock.MinInstant, LocalClock.MaxInstant, id, Limit: 5);
            var open = new StatsRequest(null, null, id, Limit: 5);
            Assert.Equal(engine.Summary(open).Plays, engine.Summary(all).Plays);

            // The period before one that starts at the first instant is empty.
            var top = engine.Top(TopKind.Tracks, all);
            Assert.Equal(LocalClock.MinInstant, top.PreviousFrom);
            Assert.Equal(LocalClock.MinInstant, top.PreviousTo);
            Assert.All(top.Items, item => Assert.Null(item.PreviousRank));

            engine.Heatmap(all);
            engine.Discoveries(all);
            engine.Sessions(all);
            Assert.Equal(365, engine.Streaks(all with { Year = null }).Calendar.Count);   // 9999, from the last instant
            Assert.Equal(TimelineBuckets.MaxBuckets, engine.Timeline(new StatsRequest(LocalClock.MinInstant, new LocalClock(StatsFixture.Zone(id)).StartOf(new DateOnly(834, 5, 1)), id, Bucket: TimelineBucket.Month)).Points.Count);
            Assert.Throws<ArgumentOutOfRangeException>(() => engine.Timeline(all));
        }
    }
}
