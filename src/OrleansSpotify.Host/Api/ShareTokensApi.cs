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

    public static RouteGroupBuilder MapShareTokensApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/me").WithTags("Sharing").RequireAuthorization();
        group.MapGet("/share-tokens", List).WithSummary("Your share tokens (the tokens themselves are shown only when created).");
        group.MapPost("/share-tokens", CreateAsync)
            .Accepts<CreateShareTokenRequest>("application/json")
            .WithSummary("Creates a share token; the answer is the only time the token is shown.");
        group.MapDelete("/share-tokens/{id}", DeleteAsync).WithSummary("Revokes a share token at once, live connections included.");
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

    private static async Task<Results<Created<CreatedShareTokenView>, ValidationProblem, UnauthorizedHttpResult>> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, ShareTokenStore tokens, TimeProvider time)
    {
        if (user.FindFirstValue(AuthExtensions.MemberClaim) is not { } me)
        {
            return TypedResults.Unauthorized();
        }

        // Read by hand so that every bad body is a problem naming the field, not a bare 400 from binding.
        var errors = new QueryParsing();
        string? label = null;
        var includeRecent = false;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("body", "The body must be a JSON object: { \"label\": \"...\", \"includeRecent\": false }.");
            }
            else
            {
                foreach (var property in body.RootElement.EnumerateObject())
                {
                    if (string.Equals(property.Name, "label", StringComparison.OrdinalIgnoreCase))
                    {
                        label = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()!.Trim() : null;
                        if (label is null)
                        {
                            errors.Add("label", "'label' must be a string.");
                        }
                    }
                    else if (string.Equals(property.Name, "includeRecent", StringComparison.OrdinalIgnoreCase))
                    {
                        if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            includeRecent = property.Value.GetBoolean();
                        }
                        else
                        {
                            errors.Add("includeRecent", "'includeRecent' must be true or false.");
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            errors.Add("body", "The body is not JSON: send { \"label\": \"...\", \"includeRecent\": false }.");
        }

        if (!errors.HasErrors && (label is null || label.Length is 0 or > MaxLabelLength))
        {
            errors.Add("label", $"'label' must be 1 to {MaxLabelLength} characters.");
        }

        if (errors.HasErrors)
        {
            return TypedResults.ValidationProblem(errors.Errors, title: "Invalid share token");
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
