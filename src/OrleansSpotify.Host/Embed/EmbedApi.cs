using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Host.Api;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Embed;

/// <summary>
/// What a share token shows without a cookie: <c>/api/embed/{token}</c> (JSON for the embed page) and
/// <c>/embed/now-playing/{token}.svg</c> (a card for an &lt;img&gt;). The embed page itself
/// (<c>/embed/now-playing/{token}</c>) is the app's embed.html, served by the static files. Nothing here sets
/// X-Frame-Options: the page is meant to be framed by other sites.
/// </summary>
public static class EmbedApi
{
    public const int RecentPlays = 5;

    public static string PagePath(string token) => "/embed/now-playing/" + token;

    public static string SvgPath(string token) => "/embed/now-playing/" + token + ".svg";

    public static IEndpointRouteBuilder MapEmbed(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/embed/{token}", GetAsync).WithTags("Embed").AllowAnonymous().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A share token's live state and, if it allows, the latest 5 plays (no cookie needed).");
        routes.MapGet("/embed/now-playing/{token}.svg", GetSvgAsync).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private static async Task<Results<Ok<EmbedView>, ProblemHttpResult>> GetAsync(
        string token, ShareTokenStore tokens, PlayQueries plays, IGrainFactory grains, TimeProvider time)
    {
        if (tokens.Find(token, time.GetUtcNow()) is not { } share)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown share link", detail: "This link is not valid (it may have been revoked).");
        }

        var live = await grains.GetGrain<IListenerGrain>(share.AccountKey).GetLiveStateAsync();
        IReadOnlyList<PlayView>? recent = share.IncludeRecent
            ? [.. (plays.GetPlays(share.AccountKey, null, null, null, RecentPlays)?.Plays ?? []).Select(p => p.ToView())]
            : null;
        return TypedResults.Ok(new EmbedView(share.DisplayName, live.ToView(share.DisplayName), recent));
    }

    private static async Task<IResult> GetSvgAsync(
        string token, HttpContext http, ShareTokenStore tokens, AccountStore accounts, IGrainFactory grains, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (tokens.Find(token, now) is not { } share)
        {
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Text(NowPlayingCard.Invalid(), NowPlayingCard.ContentType, Encoding.UTF8, StatusCodes.Status404NotFound);
        }

        var live = await grains.GetGrain<IListenerGrain>(share.AccountKey).GetLiveStateAsync();
        var zone = accounts.Get(share.AccountKey)?.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) ? found : TimeZoneInfo.Utc;
        var svg = NowPlayingCard.Render(share.DisplayName, live, zone, now);
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(svg)))[..32] + "\"");

        var headers = http.Response.GetTypedHeaders();
        headers.ETag = etag;
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromSeconds(10) };
        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Text(svg, NowPlayingCard.ContentType, Encoding.UTF8);
    }
}
