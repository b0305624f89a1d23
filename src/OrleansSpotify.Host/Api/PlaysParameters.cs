using Microsoft.AspNetCore.Mvc;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// The query of <c>GET /api/accounts/{id}/plays</c>, bound with [AsParameters]: <c>from</c>/<c>to</c>/<c>before</c>
/// (ISO dates or date-times), <c>limit</c> (page size) and <c>q</c> (a search in track, artists and album).
/// </summary>
public sealed class PlaysParameters
{
    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    [FromQuery(Name = "before")]
    public string? Before { get; set; }

    [FromQuery(Name = "limit")]
    public string? Limit { get; set; }

    [FromQuery(Name = "q")]
    public string? Q { get; set; }

    /// <summary>The parsed query; errors are collected in <paramref name="query"/>.</summary>
    public PlaysRequest Resolve(QueryParsing query)
    {
        var from = query.Instant("from", From);
        var to = query.Instant("to", To);
        var before = query.Instant("before", Before);
        var pageSize = query.Int("limit", Limit, 50, 1, AccountsApi.MaxPageSize);
        if (from is { } f && to is { } t && f > t)
        {
            query.Add("from", $"'from' ({f:O}) is after 'to' ({t:O}).");
        }

        var search = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();
        if (search is { Length: > PlayQueries.MaxSearchLength })
        {
            query.Add("q", $"'q' may be at most {PlayQueries.MaxSearchLength} characters.");
        }

        return new PlaysRequest(from, to, before, pageSize, search);
    }
}

/// <summary>A valid <see cref="PlaysParameters"/>.</summary>
public sealed record PlaysRequest(DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset? Before, int PageSize, string? Search);
