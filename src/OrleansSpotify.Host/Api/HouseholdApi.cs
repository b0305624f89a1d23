using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>The household at a glance: what everyone plays now, and the latest plays of all.</summary>
public static class HouseholdApi
{
    public const int MaxFeedSize = 100;

    public static RouteGroupBuilder MapHouseholdApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/household").WithTags("Household").RequireAuthorization().ProducesMemberProblems();
        group.MapGet("/now-playing", GetNowPlaying)
            .WithSummary("Every account's live state (playing, paused or idle, since when), ordered by display name; a private member's only to themselves.");
        group.MapGet("/plays", GetPlays)
            .WithSummary("The latest plays across the household, newest first (limit= 1-100, default 20); a private member's only to themselves.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<LiveStateView>>> GetNowPlaying(ClaimsPrincipal user, AccountStore accounts, IGrainFactory grains)
    {
        var members = accounts.List()
            .Where(a => MemberVisibility.Sees(user, a))
            .OrderBy(a => a.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(a => a.AccountKey, StringComparer.Ordinal)
            .ToList();
        var states = await Task.WhenAll(members.Select(a => grains.GetGrain<IListenerGrain>(a.AccountKey).GetLiveStateAsync()));
        IReadOnlyList<LiveStateView> views = [.. members.Select((a, i) => states[i].ToView(a.DisplayName))];
        return TypedResults.Ok(views);
    }

    private static Results<Ok<IReadOnlyList<FeedItemView>>, ValidationProblem> GetPlays(string? limit, ClaimsPrincipal user, PlayQueries plays)
    {
        var query = new QueryParsing();
        var size = query.Int(nameof(limit), limit, 20, 1, MaxFeedSize);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "Invalid query parameters");
        }

        var feed = plays.GetHouseholdPlays(user.FindFirstValue(AuthExtensions.MemberClaim), size);
        IReadOnlyList<FeedItemView> views = [.. feed.Select(p => new FeedItemView(p.AccountKey, p.DisplayName, p.Play.ToView()))];
        return TypedResults.Ok(views);
    }
}
