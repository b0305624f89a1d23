using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// The engine against the plain-LINQ oracle for six zones (UTC, Berlin and New York DST, Lord Howe's 30-minute DST,
/// Kathmandu's +05:45, Santiago's DST at midnight), eight ranges (see <see cref="StatsFixture.Ranges"/>) and three accounts:
/// discoveries, sessions, and year reviews of 2022 (no plays) to 2026.
/// </summary>
public sealed class DiscoverySessionAndYearOracleTests(StatsFixture fixture)
{
    public static TheoryData<string, int, string> ZonesYearsAccounts()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var zone in StatsFixture.Zones)
        {
            for (var year = 2022; year <= 2026; year++)
            {
                foreach (var account in StatsFixture.Accounts)
                {
                    data.Add(zone, year, account);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StatsFixture.ZonesRangesAccounts), MemberType = typeof(StatsFixture))]
    public void DiscoveriesMatchTheOracle(string zone, string range, string account)
    {
        var engine = fixture.Engine(account, zone, StatsFixture.Now);
        var oracle = fixture.Oracle(account, zone, StatsFixture.Now);
        foreach (var limit in new[] { 10, 1000 })
        {
            var request = StatsFixture.Request(zone, range) with { Limit = limit };

            StatsAssert.Equal(oracle.Discoveries(request), engine.Discoveries(request));
        }
    }

    [Theory]
    [MemberData(nameof(StatsFixture.ZonesRangesAccounts), MemberType = typeof(StatsFixture))]
    public void SessionsMatchTheOracle(string zone, string range, string account)
    {
        var engine = fixture.Engine(account, zone, StatsFixture.Now);
        var oracle = fixture.Oracle(account, zone, StatsFixture.Now);
        foreach (var (gap, limit) in new[] { (20, 10), (5, 3), (60, 1000) })
        {
            var request = StatsFixture.Request(zone, range) with { SessionGapMinutes = gap, Limit = limit };

            StatsAssert.Equal(oracle.Sessions(request), engine.Sessions(request));
        }
    }

    [Theory]
    [MemberData(nameof(ZonesYearsAccounts))]
    public void YearReviewsMatchTheOracle(string zone, int year, string account)
    {
        var request = new StatsRequest(null, null, zone, By: year % 2 == 0 ? TopOrder.Plays : TopOrder.Time);

        var actual = fixture.Engine(account, zone, StatsFixture.Now).YearReview(year, request);

        StatsAssert.Equal(fixture.Oracle(account, zone, StatsFixture.Now).YearReview(year, request), actual);
    }
}
