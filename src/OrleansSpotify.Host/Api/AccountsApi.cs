using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>The household's accounts, their live now-playing and their recorded plays.</summary>
public static class AccountsApi
{
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Accounts").RequireAuthorization().ProducesMemberProblems();
        group.MapGet("/me", GetMe).WithSummary("The signed-in household member.");
        group.MapGet("/accounts", ListAccounts)
            .WithSummary("Every household account with its status and play count (null for a private member other than you), and while Spotify has paused the app, when it resumes.");
        group.MapGet("/accounts/{id}/now-playing", GetNowPlaying)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("What the account plays now; 204 when nothing plays; 403 for a private member other than you.");
        group.MapGet("/accounts/{id}/plays", GetPlays)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Recorded plays, newest first, keyset-paged with 'before'; q= keeps those whose track, an artist or the album contains it. A private member's history is theirs alone.");
        group.MapGaps();
        return group;
    }

    public static RouteGroupBuilder MapInfoApi(this IEndpointRouteBuilder routes, bool demo)
    {
        var group = routes.MapGroup("/api").WithTags("Service");
        var version = typeof(AccountsApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        group.MapGet("/info", (HttpContext context) => TypedResults.Ok(new InfoView(
                "OrleansSpotify", version, demo, context.RequestServices.GetService<Demo.DemoDataStatus>()?.IsComplete)))
            .WithSummary("The service's name, version, whether it runs on demo data and, in demo mode, whether the demo's imported history is complete.");
        return group;
    }

    private static Results<Ok<MemberView>, UnauthorizedHttpResult> GetMe(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(AuthExtensions.MemberClaim);
        return id is null ? TypedResults.Unauthorized() : TypedResults.Ok(new MemberView(id, user.Identity?.Name ?? id));
    }

    private static async Task<Ok<IReadOnlyList<AccountView>>> ListAccounts(ClaimsPrincipal user, AccountStore accounts, IGrainFactory grains, TimeProvider time)
    {
        var stored = accounts.List();
        var budget = grains.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey).GetBudgetAsync();
        var statuses = await Task.WhenAll(stored.Select(a => grains.GetGrain<IListenerGrain>(a.AccountKey).GetStatusAsync()));
        var pause = SpotifyPauseView.From(await budget, time.GetUtcNow());
        var viewer = user.FindFirstValue(AuthExtensions.MemberClaim);
        IReadOnlyList<AccountView> views = [.. stored.Select((a, i) => a.ToView(statuses[i], viewer, pause))];
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<NowPlayingView>, NoContent, ProblemHttpResult>> GetNowPlaying(string id, ClaimsPrincipal user, AccountStore accounts, IGrainFactory grains)
    {
        if (accounts.Get(id) is not { } account)
        {
            return UnknownAccount(id);
        }

        if (!MemberVisibility.Sees(user, account))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Private listening", detail: $"{account.DisplayName} keeps their listening private.");
        }

        var now = await grains.GetGrain<IListenerGrain>(id).GetNowPlayingAsync();
        return now is null ? TypedResults.NoContent() : TypedResults.Ok(now.ToView());
    }

    private static Results<Ok<PlayPageView>, ValidationProblem, ProblemHttpResult> GetPlays(
        string id,
        [AsParameters] PlaysParameters parameters,
        HttpRequest request,
        ClaimsPrincipal user,
        AccountStore accounts,
        PlayQueries plays)
    {
        if (accounts.Get(id) is not { } account)
        {
            return UnknownAccount(id);
        }

        var query = new QueryParsing();
        var asked = parameters.Resolve(query);
        if (query.HasErrors)
        {
            return TypedResults.ValidationProblem(query.Errors, title: "Invalid query parameters");
        }

        if (!account.ShareStats && !string.Equals(user.FindFirstValue(AuthExtensions.MemberClaim), id, StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Private history", detail: $"{account.DisplayName} keeps their plays private.");
        }

        var page = plays.GetPlays(id, asked.From, asked.To, asked.Before, asked.PageSize, asked.Search);
        if (page is null)
        {
            return UnknownAccount(id);
        }

        string? next = null;
        if (page.NextBefore is { } nextBefore)
        {
            var link = new Dictionary<string, string?>
            {
                ["from"] = parameters.From,
                ["to"] = parameters.To,
                ["q"] = asked.Search,
                ["limit"] = asked.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["before"] = nextBefore.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            };
            next = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(request.Path, link.Where(p => p.Value is not null));
        }

        return TypedResults.Ok(new PlayPageView([.. page.Plays.Select(p => p.ToView())], page.NextBefore, next));
    }

    private static ProblemHttpResult UnknownAccount(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown account", detail: $"No household account has the id '{id}'.");
}
