using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// The engine against the plain-LINQ oracle for six zones (UTC, Berlin and New York DST, Lord Howe's 30-minute DST,
/// Kathmandu's +05:45, Santiago's DST at midnight), eight ranges (see <see cref="StatsFixture.Ranges"/>) and three accounts:
/// the summary and the ranked lists with their previous ranks.
/// </summary>
public sealed class SummaryAndTopOracleTests(StatsFixture fixture)
{
    [Theory]
    [MemberData(nameof(StatsFixture.ZonesRangesAccounts), MemberType = typeof(StatsFixture))]
    public void SummaryMatchesTheOracle(string zone, string range, string account)
    {
        var request = StatsFixture.Request(zone, range);

        var actual = fixture.Engine(account, zone, StatsFixture.Now).Summary(request);

        StatsAssert.Equal(fixture.Oracle(account, zone, StatsFixture.Now).Summary(request), actual);
    }

    /// <summary>Every kind in both orders, the whole ranking (limit 1000) by plays and the top 10 by time.</summary>
    [Theory]
    [MemberData(nameof(StatsFixture.ZonesRangesAccounts), MemberType = typeof(StatsFixture))]
    public void TopListsMatchTheOracle(string zone, string range, string account)
    {
        var engine = fixture.Engine(account, zone, StatsFixture.Now);
        var oracle = fixture.Oracle(account, zone, StatsFixture.Now);
        foreach (var kind in Enum.GetValues<TopKind>())
        {
            foreach (var by in Enum.GetValues<TopOrder>())
            {
                var request = StatsFixture.Request(zone, range) with { By = by, Limit = by == TopOrder.Plays ? 1000 : 10 };

                StatsAssert.Equal(oracle.Top(kind, request), engine.Top(kind, request));
            }
        }
    }
}
