using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// <c>GET /api/accounts/{id}/stats/podcasts</c>: episodes and audiobook chapters (imported from Spotify's exports) on
/// their own — they are listed in history and left out of every music stat. The same parameters, checks and
/// visibility as the other account stats; read straight from SQLite (a small aggregate over the account's plays).
/// </summary>
public static class PodcastStatsApi
{
    public static void MapPodcastStats(this RouteGroupBuilder account) =>
        account.MapGet("/podcasts", Get)
            .WithSummary("Podcast episodes and audiobook chapters (from imports), kept out of the music stats: plays, listening time, shows and books, top shows (limit=).");

    private static async Task<Results<Ok<PodcastStats>, ValidationProblem, ProblemHttpResult>> Get(
        string id, [AsParameters] StatsParameters parameters, ClaimsPrincipal user, AccountStore accounts, PlayQueries plays, TimeProvider time)
    {
        var account = accounts.Get(id);
        if (account is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown account", detail: $"No household account has the id '{id}'.");
        }

        var query = new QueryParsing();
        var request = parameters.Resolve(query, time.GetUtcNow(), account.TimeZone);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "Invalid query parameters");
        }

        if (!account.ShareStats && !string.Equals(user.FindFirstValue(AuthExtensions.MemberClaim), id, StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Private stats", detail: $"{account.DisplayName} keeps their stats private.");
        }

        var stats = await Task.Run(() => plays.GetListeningBeyondMusic(id, request.From, request.To, request.Limit));
        return stats is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown account", detail: $"No household account has the id '{id}'.")
            : TypedResults.Ok(stats);
    }
}
