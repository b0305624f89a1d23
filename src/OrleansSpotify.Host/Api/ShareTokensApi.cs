using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Host.Embed;
using OrleansSpotify.Host.Live;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>The signed-in member's share tokens: links that show what they play on another site.</summary>
public static class ShareTokensApi
{
    public const int MaxLabelLength = 60;

    /// <summary>The most share tokens one member may have (so the list of them stays small).</summary>
    public const int MaxTokensPerMember = 100;

    public static RouteGroupBuilder MapShareTokensApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/me").WithTags("Sharing").RequireAuthorization().ProducesMemberProblems();
        group.MapGet("/share-tokens", List).WithSummary("Your share tokens (the tokens themselves are shown only when created).");
        group.MapPost("/share-tokens", CreateAsync)
            .AcceptsJson<CreateShareTokenRequest>()
            .Produces<CreatedShareTokenView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesWriteProblems()
            .WithSummary("Creates a share token; the answer is the only time the token is shown.");
        group.MapDelete("/share-tokens/{id}", DeleteAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesWriteProblems().WithSummary("Revokes a share token at once, live connections included.");
        return group;
    }

    private static Results<Ok<IReadOnlyList<ShareTokenView>>, UnauthorizedHttpResult> List(ClaimsPrincipal user, ShareTokenStore tokens)
    {
        if (user.FindFirstValue(AuthExtensions.MemberClaim) is not { } me)
        {
            return TypedResults.Unauthorized();
        }

        IReadOnlyList<ShareTokenView> views = [.. tokens.List(me).Select(t => t.ToView())];
        return TypedResults.Ok(views);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ClaimsPrincipal user, ShareTokenStore tokens, TimeProvider time)
    {
        if (user.FindFirstValue(AuthExtensions.MemberClaim) is not { } me)
        {
            return TypedResults.Unauthorized();
        }

        var (body, problem) = await JsonBody.ReadAsync(request, "{ \"label\": \"...\", \"includeRecent\": false }");
        if (body is null)
        {
            return problem!;
        }

        var errors = new QueryParsing();
        var raw = body.String("label", errors);
        var label = raw?.Trim();
        var includeRecent = body.Bool("includeRecent", errors) ?? false;
        if (!errors.Errors.ContainsKey("label"))
        {
            if (label is null || label.Length is 0 or > MaxLabelLength)
            {
                errors.Add("label", $"'label' must be 1 to {MaxLabelLength} characters.");
            }
            else if (TextRules.Forbidden(raw!) is { } forbidden)
            {
                errors.Add("label", $"'label' may not hold control or bidirectional-override characters (U+{(int)forbidden:X4}).");
            }
        }

        if (errors.HasErrors)
        {
            return TypedResults.ValidationProblem(errors.Errors, title: "Invalid share token");
        }

        if (tokens.List(me).Count >= MaxTokensPerMember)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Too many share tokens",
                detail: $"You have {MaxTokensPerMember} share tokens, the most one member may have: revoke one first.");
        }

        var created = tokens.Create(me, label!, includeRecent, time.GetUtcNow());
        if (created is null)
        {
            return TypedResults.Unauthorized();
        }

        var view = created.Stored.ToView();
        var escaped = Uri.EscapeDataString(created.Token);
        return TypedResults.Created(
            (string?)null,
            new CreatedShareTokenView(view.Id, view.Label, view.IncludeRecent, view.CreatedAt, created.Token, request.PathBase.ToUriComponent() + EmbedApi.PagePath(escaped), request.PathBase.ToUriComponent() + EmbedApi.SvgPath(escaped)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, UnauthorizedHttpResult>> DeleteAsync(
        string id, ClaimsPrincipal user, ShareTokenStore tokens, ShareConnections connections)
    {
        if (user.FindFirstValue(AuthExtensions.MemberClaim) is not { } me)
        {
            return TypedResults.Unauthorized();
        }

        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var tokenId) || !tokens.Delete(me, tokenId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown share token", detail: $"You have no share token with the id '{id}'.");
        }

        await connections.RevokeAsync(tokenId);
        return TypedResults.NoContent();
    }
}
