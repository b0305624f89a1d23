using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>Stats per account and for the household, answered by the stats grains.</summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this IEndpointRouteBuilder routes)
    {
        var account = routes.MapGroup("/api/accounts/{id}/stats").WithTags("Account stats").RequireAuthorization()
            .ProducesMemberProblems().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        account.MapGet("/summary", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c, HistoryGapStore gaps) =>
            Stats.ForAccount(id, p, c, GapsApi.Summary(id, gaps))).WithSummary("Plays (of at least 30 s), skips (reported under 30 s), listening time, distinct tracks/artists/albums, first and last play, averages per day; gaps: the open gaps of the history where plays of the range may be missing.");
        account.MapGet("/top-tracks", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c) =>
            Stats.ForAccount(id, p, c, SharedStats.TopTracks)).WithSummary("Top tracks by plays or time, with the rank in the previous period.");
        account.MapGet("/top-artists", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c) =>
            Stats.ForAccount(id, p, c, SharedStats.TopArtists)).WithSummary("Top artists (primary artist of each track).");
        account.MapGet("/top-albums", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c) =>
            Stats.ForAccount(id, p, c, SharedStats.TopAlbums)).WithSummary("Top albums.");
        account.MapGet("/heatmap", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c) =>
            Stats.ForAccount(id, p, c, SharedStats.Heatmap)).WithSummary("Plays by local weekday (0 = Monday) and hour.");
        account.MapGet("/timeline", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c, HistoryGapStore gaps) =>
            Stats.ForAccount(id, p, c, GapsApi.Timeline(id, gaps), SharedStats.TimelineFits))
            .WithSummary("Plays and time per day, week or month (bucket=); at most 10,000 buckets; gaps: the open gaps of the history where plays of the range may be missing.");
        account.MapGet("/streaks", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c) =>
            Stats.ForAccount(id, p, c, (g, r) => g.GetStreaksAsync(r))).WithSummary("Current and longest run of days with a play, and a year's calendar (year=).");
        account.MapGet("/discoveries", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c) =>
            Stats.ForAccount(id, p, c, (g, r) => g.GetDiscoveriesAsync(r))).WithSummary("Tracks and artists first heard in the period.");
        account.MapGet("/sessions", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c) =>
            Stats.ForAccount(id, p, c, (g, r) => g.GetSessionsAsync(r))).WithSummary("Listening sessions (a gap of more than gap= minutes, default 20, ends one), longest first.");
        account.MapGet("/year-review", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c) =>
            Stats.ForAccount(id, p, c, (g, r) => g.GetYearReviewAsync(r.Year ?? c.Time.GetUtcNow().Year, r))).WithSummary("A year in one payload: summary, tops, busiest day, longest streak, discoveries.");
        account.MapGet("/genres", (string id, [AsParameters] StatsParameters p, [AsParameters] StatsServices c) =>
            Stats.ForAccount(id, p, c, (g, r) => g.GetGenresAsync(r))).WithSummary("Top genres of the primary artists (fetched from Spotify in the background); plays of artists without known genres are counted as unknown.");
        account.MapPodcastStats();

        var household = routes.MapGroup("/api/household/stats").WithTags("Household stats").RequireAuthorization().ProducesMemberProblems();
        household.MapGet("/summary", ([AsParameters] StatsParameters p, [AsParameters] StatsServices c, HistoryGapStore gaps) => Stats.ForHousehold(p, c, GapsApi.HouseholdSummary(gaps)));
        household.MapGet("/top-tracks", ([AsParameters] StatsParameters p, [AsParameters] StatsServices c) => Stats.ForHousehold(p, c, SharedStats.TopTracks));
        household.MapGet("/top-artists", ([AsParameters] StatsParameters p, [AsParameters] StatsServices c) => Stats.ForHousehold(p, c, SharedStats.TopArtists));
        household.MapGet("/top-albums", ([AsParameters] StatsParameters p, [AsParameters] StatsServices c) => Stats.ForHousehold(p, c, SharedStats.TopAlbums));
        household.MapGet("/heatmap", ([AsParameters] StatsParameters p, [AsParameters] StatsServices c) => Stats.ForHousehold(p, c, SharedStats.Heatmap));
        household.MapGet("/timeline", ([AsParameters] StatsParameters p, [AsParameters] StatsServices c, HistoryGapStore gaps) =>
            Stats.ForHousehold(p, c, GapsApi.HouseholdTimeline(gaps), SharedStats.TimelineFits));
        household.MapGet("/leaderboard", ([AsParameters] StatsParameters p, [AsParameters] StatsServices c) => Stats.ForHousehold(p, c, (g, r) => g.GetLeaderboardAsync(r)))
            .WithSummary("Listening time and plays per member who shares their stats.");
        household.MapGet("/affinity", ([AsParameters] StatsParameters p, [AsParameters] StatsServices c) => Stats.ForHousehold(p, c, (g, r) => g.GetAffinityAsync(r), AffinityLimit))
            .WithSummary($"Overlap of each pair of members' top artists and tracks (limit= sets the top size, at most {MaxAffinityTop}).");

        routes.MapPut("/api/me/time-zone", SetTimeZone).WithTags("Accounts").RequireAuthorization()
            .AcceptsJson<TimeZoneView>().Produces<TimeZoneView>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesWriteProblems()
            .WithSummary("The IANA zone your stats default to (null for UTC).");
        routes.MapPut("/api/me/sharing", SetSharing).WithTags("Accounts").RequireAuthorization()
            .AcceptsJson<SharingRequest>().Produces<SharingView>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesWriteProblems()
            .WithSummary("Share your stats with the household, or keep them private (they then appear in no household answer).");
        return household;
    }

    /// <summary>
    /// Affinity lists the shared artists of every pair of members, so its size grows with the square of the household:
    /// a smaller top keeps it far under 5 MB (25 members, Spotify's development-mode cap, make 300 pairs).
    /// </summary>
    public const int MaxAffinityTop = 100;

    private static Task<IDictionary<string, string[]>?> AffinityLimit(IHouseholdStatsGrain grain, StatsRequest request) =>
        Task.FromResult<IDictionary<string, string[]>?>(request.Limit <= MaxAffinityTop
            ? null
            : new Dictionary<string, string[]>(StringComparer.Ordinal) { ["limit"] = [$"'{request.Limit}' is too large: affinity compares tops of at most {MaxAffinityTop}."] });

    private static async Task<IResult> SetTimeZone(HttpRequest request, ClaimsPrincipal user, AccountStore accounts, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, "{ \"timeZone\": \"Europe/Berlin\" } (or null for UTC)");
        if (body is null)
        {
            return problem!;
        }

        var errors = new QueryParsing();
        var text = body.String("timeZone", errors);
        var zone = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (zone is not null && !TextRules.TryFindZone(zone, out _))
        {
            errors.Add("timeZone", $"'{zone}' is not a known IANA time zone (e.g. Europe/Berlin).");
        }

        if (errors.HasErrors)
        {
            return TypedResults.ValidationProblem(errors.Errors, title: "Invalid time zone");
        }

        var id = user.FindFirstValue(AuthExtensions.MemberClaim);
        return id is not null && accounts.SetTimeZone(id, zone, time.GetUtcNow())
            ? TypedResults.Ok(new TimeZoneView(zone))
            : TypedResults.Unauthorized();
    }

    private static async Task<IResult> SetSharing(
        HttpRequest request, ClaimsPrincipal user, AccountStore accounts, IGrainFactory grains, IListeningEvents events, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, "{ \"shareStats\": true }");
        if (body is null)
        {
            return problem!;
        }

        var errors = new QueryParsing();
        var choice = body.Bool("shareStats", errors) ?? body.Bool("shareWithHousehold", errors);
        if (!errors.HasErrors && choice is null)
        {
            errors.Add("shareStats", "'shareStats' (true or false) is required.");
        }

        if (errors.HasErrors)
        {
            return TypedResults.ValidationProblem(errors.Errors, title: "Invalid sharing choice");
        }

        var share = choice!.Value;
        var id = user.FindFirstValue(AuthExtensions.MemberClaim);
        if (id is null || !accounts.SetSharing(id, share, time.GetUtcNow()))
        {
            return TypedResults.Unauthorized();
        }

        await grains.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey).ChangedAsync();
        events.AccountChanged(id);
        return TypedResults.Ok(new SharingView(share, share));
    }
}

/// <summary>The body of <c>PUT /api/me/sharing</c>: <c>shareStats</c> (<c>shareWithHousehold</c>, its first name, is still read).</summary>
public sealed record SharingRequest(bool? ShareStats, bool? ShareWithHousehold);

public sealed record SharingView(bool ShareStats, bool ShareWithHousehold);

public sealed record TimeZoneView(string? TimeZone);

/// <summary>Who asks, and the services every stats endpoint needs: bound per request with [AsParameters].</summary>
public readonly record struct StatsServices(ClaimsPrincipal User, AccountStore Accounts, IGrainFactory Grains, TimeProvider Time);

/// <summary>
/// The one path every stats endpoint takes: the parameters validated (400 with every error by name), the account
/// known (404) and visible to the caller (403), then the grain's answer (200 with <typeparamref name="T"/>).
/// </summary>
public static class Stats
{
    public static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ForAccount<T>(
        string id,
        StatsParameters parameters,
        StatsServices services,
        Func<IAccountStatsGrain, StatsRequest, Task<T>> ask,
        Func<IAccountStatsGrain, StatsRequest, Task<IDictionary<string, string[]>?>>? check = null)
    {
        var account = services.Accounts.Get(id);
        if (account is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown account", detail: $"No household account has the id '{id}'.");
        }

        var query = new QueryParsing();
        var request = parameters.Resolve(query, services.Time.GetUtcNow(), account.TimeZone);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "Invalid query parameters");
        }

        var me = services.User.FindFirstValue(AuthExtensions.MemberClaim);
        if (!account.ShareStats && !string.Equals(me, id, StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Private stats", detail: $"{account.DisplayName} keeps their stats private.");
        }

        var grain = services.Grains.GetGrain<IAccountStatsGrain>(id);
        if (check is not null && await check(grain, request) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query parameters");
        }

        return TypedResults.Ok(await ask(grain, request));
    }

    public static async Task<Results<Ok<T>, ValidationProblem>> ForHousehold<T>(
        StatsParameters parameters,
        StatsServices services,
        Func<IHouseholdStatsGrain, StatsRequest, Task<T>> ask,
        Func<IHouseholdStatsGrain, StatsRequest, Task<IDictionary<string, string[]>?>>? check = null)
    {
        var query = new QueryParsing();
        var request = parameters.Resolve(query, services.Time.GetUtcNow());
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "Invalid query parameters");
        }

        var grain = services.Grains.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey);
        if (check is not null && await check(grain, request) is { } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query parameters");
        }

        return TypedResults.Ok(await ask(grain, request));
    }
}
