using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// The gaps of a member's history (<see cref="HistoryGapStore"/>): where a full read of recently-played did not reach
/// back to what was stored, so plays may be missing; and the same gaps on the stats answers whose range they touch.
/// </summary>
public static class GapsApi
{
    /// <summary><c>GET /api/accounts/{id}/gaps</c>, in the accounts group (member cookie; a private member's are theirs alone).</summary>
    public static RouteHandlerBuilder MapGaps(this RouteGroupBuilder accounts) =>
        accounts.MapGet("/accounts/{id}/gaps", GetGaps)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Stretches of the account's history where plays may be missing (a full read of recently-played that did not reach back to the stored plays), oldest first: the window [from, to], when it was detected, and closedBy (null while open, \"import\" once an import of a Spotify export spanning it filled it). A private member's are theirs alone.");

    private static Results<Ok<IReadOnlyList<HistoryGap>>, ProblemHttpResult> GetGaps(string id, ClaimsPrincipal user, AccountStore accounts, HistoryGapStore gaps)
    {
        if (accounts.Get(id) is not { } account)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown account", detail: $"No household account has the id '{id}'.");
        }

        if (!MemberVisibility.Sees(user, account))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Private history", detail: $"{account.DisplayName} keeps their plays private.");
        }

        return TypedResults.Ok(gaps.List(id));
    }

    /// <summary>The account's summary, with the open gaps where plays of its range may be missing.</summary>
    public static Func<IAccountStatsGrain, StatsRequest, Task<SummaryStats>> Summary(string id, HistoryGapStore gaps) =>
        async (grain, request) => (await SharedStats.Summary(grain, request)) with { Gaps = gaps.OpenWithin(id, request.From, request.To) };

    /// <summary>The account's timeline, with the open gaps where plays of its range may be missing.</summary>
    public static Func<IAccountStatsGrain, StatsRequest, Task<Timeline>> Timeline(string id, HistoryGapStore gaps) =>
        async (grain, request) => (await SharedStats.Timeline(grain, request)) with { Gaps = gaps.OpenWithin(id, request.From, request.To) };

    /// <summary>The household's summary, with the open gaps of the members it counts (those who share their stats).</summary>
    public static Func<IHouseholdStatsGrain, StatsRequest, Task<SummaryStats>> HouseholdSummary(HistoryGapStore gaps) =>
        async (grain, request) => (await SharedStats.Summary(grain, request)) with { Gaps = gaps.OpenWithinHousehold(request.From, request.To) };

    /// <summary>The household's timeline, with the open gaps of the members it counts.</summary>
    public static Func<IHouseholdStatsGrain, StatsRequest, Task<Timeline>> HouseholdTimeline(HistoryGapStore gaps) =>
        async (grain, request) => (await SharedStats.Timeline(grain, request)) with { Gaps = gaps.OpenWithinHousehold(request.From, request.To) };
}
