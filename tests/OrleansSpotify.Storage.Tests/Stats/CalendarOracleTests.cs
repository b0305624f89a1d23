using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// The engine against the plain-LINQ oracle for six zones (UTC, Berlin and New York DST, Lord Howe's 30-minute DST,
/// Kathmandu's +05:45, Santiago's DST at midnight), eight ranges (see <see cref="StatsFixture.Ranges"/>) and three accounts:
/// the heatmap, the timelines and the streaks (the current streak for several clocks).
/// </summary>
public sealed class CalendarOracleTests(StatsFixture fixture)
{
    public static TheoryData<string, string, int> ZonesAccountsClocks()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var zone in StatsFixture.Zones)
        {
            foreach (var account in StatsFixture.Accounts)
            {
                for (var clock = 0; clock < 6; clock++)
                {
                    data.Add(zone, account, clock);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StatsFixture.ZonesRangesAccounts), MemberType = typeof(StatsFixture))]
    public void HeatmapMatchesTheOracle(string zone, string range, string account)
    {
        var request = StatsFixture.Request(zone, range);

        var actual = fixture.Engine(account, zone, StatsFixture.Now).Heatmap(request);

        StatsAssert.Equal(fixture.Oracle(account, zone, StatsFixture.Now).Heatmap(request), actual);
    }

    [Theory]
    [MemberData(nameof(StatsFixture.ZonesRangesAccounts), MemberType = typeof(StatsFixture))]
    public void TimelinesMatchTheOracle(string zone, string range, string account)
    {
        var engine = fixture.Engine(account, zone, StatsFixture.Now);
        var oracle = fixture.Oracle(account, zone, StatsFixture.Now);
        foreach (var bucket in Enum.GetValues<TimelineBucket>())
        {
            var request = StatsFixture.Request(zone, range) with { Bucket = bucket };

            StatsAssert.Equal(oracle.Timeline(request), engine.Timeline(request));
        }
    }

    /// <summary>The longest streak within each range, and the calendar of the year the range ends in.</summary>
    [Theory]
    [MemberData(nameof(StatsFixture.ZonesRangesAccounts), MemberType = typeof(StatsFixture))]
    public void StreaksMatchTheOracle(string zone, string range, string account)
    {
        var request = StatsFixture.Request(zone, range);

        var actual = fixture.Engine(account, zone, StatsFixture.Now).Streaks(request);

        StatsAssert.Equal(fixture.Oracle(account, zone, StatsFixture.Now).Streaks(request), actual);
    }

    /// <summary>
    /// The current streak and the calendar for several clocks: the fixed one, the instant of the last play (today),
    /// noon of the next local day (yesterday), the last millisecond of that day, the first of the day after (no
    /// current streak any more) and a clock before the last play (none either); the default year or 2024.
    /// </summary>
    [Theory]
    [MemberData(nameof(ZonesAccountsClocks))]
    public void CurrentStreaksAndCalendarsMatchTheOracle(string zone, string account, int clock)
    {
        var timeZone = StatsFixture.Zone(zone);
        var last = fixture.View(account, zone).MaxBy(p => p.At)!;
        var now = clock switch
        {
            0 => StatsFixture.Now,
            1 => DateTimeOffset.FromUnixTimeMilliseconds(last.At),
            2 => OracleTime.StartOfDay(timeZone, last.Date.AddDays(1)).AddHours(12),
            3 => OracleTime.StartOfDay(timeZone, last.Date.AddDays(2)).AddMilliseconds(-1),
            4 => OracleTime.StartOfDay(timeZone, last.Date.AddDays(2)),
            _ => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var request = new StatsRequest(null, null, zone, Year: clock % 2 == 0 ? null : 2024);

        var actual = fixture.Engine(account, zone, now).Streaks(request);

        StatsAssert.Equal(fixture.Oracle(account, zone, now).Streaks(request), actual);
        if (clock > 0)
        {
            Assert.Equal(clock <= 3, actual.Current is not null);
        }
    }
}
