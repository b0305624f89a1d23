using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>The app-wide Spotify pause as the API shows it (<c>resumesAt</c>, <c>pauseReason</c>).</summary>
/// <param name="Reason">quota-exceeded, rate-limit, or null when unknown.</param>
public sealed record SpotifyPauseView(DateTimeOffset ResumesAt, string? Reason)
{
    public const string QuotaExceeded = "quota-exceeded";
    public const string RateLimit = "rate-limit";

    /// <summary>The pause of <paramref name="budget"/> if it still holds at <paramref name="now"/>; null otherwise.</summary>
    public static SpotifyPauseView? From(QuotaBudget budget, DateTimeOffset now) =>
        budget.IsPaused(now) ? new SpotifyPauseView(budget.PausedUntil!.Value, WireReason(budget.PauseReason)) : null;

    public static string? WireReason(string? reason) => reason switch
    {
        SpotifyPause.QuotaExceeded => QuotaExceeded,
        SpotifyPause.RateLimit => RateLimit,
        _ => null,
    };
}

/// <summary>The deployment's budget of Spotify Web API calls now.</summary>
/// <param name="Limit">Calls allowed per rolling window (<c>Quota:CallsPerDay</c>).</param>
/// <param name="Used">Web API calls in the window now (token refreshes are not counted against it).</param>
/// <param name="WindowSeconds">The rolling window's length (<c>Quota:Window</c>; a day unless changed).</param>
/// <param name="Pace">At least 1: how much listeners stretch the intervals they may stretch (see the README).</param>
/// <param name="Exhausted">Used has reached the limit: listeners read only recently-played until the window frees calls.</param>
/// <param name="ResumesAt">While Spotify has paused the app (nothing is sent), when the pause ends; null otherwise.</param>
/// <param name="PauseReason">quota-exceeded or rate-limit while paused.</param>
public sealed record QuotaBudgetView(int Limit, int Used, long WindowSeconds, double Pace, bool Exhausted, DateTimeOffset? ResumesAt, string? PauseReason);

/// <summary>Calls of one UTC day for one account, endpoint and outcome.</summary>
/// <param name="Account">
/// A household account's id; <c>(sign-in)</c> for the sign-in's calls (no account exists yet); <c>(private)</c> for the
/// calls of members who keep their listening private, folded together for everyone but each of them.
/// </param>
/// <param name="DisplayName">The member's name when <paramref name="Account"/> is an account's id; null otherwise.</param>
/// <param name="Endpoint">me, currently-playing, player, recently-played, artists, tracks, search, other, or token (accounts.spotify.com: not Web API quota).</param>
/// <param name="Outcome">ok, no-content, rate-limited, quota-exceeded, unauthorized, forbidden, not-found, client-error, server-error, failed or timeout.</param>
/// <param name="CountsAgainstBudget">False for the token endpoint.</param>
public sealed record SpotifyUsageRowView(DateOnly Day, string Account, string? DisplayName, string Endpoint, string Outcome, long Count, bool CountsAgainstBudget);

/// <summary>The answer of <c>GET /api/spotify/usage</c>.</summary>
/// <param name="From">The first UTC day counted.</param>
/// <param name="To">The last UTC day counted (inclusive).</param>
/// <param name="WebApiCalls">Web API calls over the range (what Spotify's quota counts).</param>
/// <param name="TokenCalls">Token-endpoint calls over the range (sign-ins and refreshes; not counted against the budget).</param>
public sealed record SpotifyUsageView(DateOnly From, DateOnly To, QuotaBudgetView Budget, long WebApiCalls, long TokenCalls, IReadOnlyList<SpotifyUsageRowView> Rows);

/// <summary>
/// <c>GET /api/spotify/usage</c>: every Spotify call the deployment made, by UTC day, account, endpoint and outcome,
/// and the budget now. Household members only (share links do not see it). A private member's rows are theirs alone:
/// everyone else sees them folded into <c>(private)</c>, so the totals stay whole.
/// </summary>
public static class SpotifyUsageApi
{
    /// <summary>The longest range one request may ask for, in days.</summary>
    public const int MaxDays = 92;

    /// <summary>The range asked for when none is given: the last 7 UTC days, today included.</summary>
    public const int DefaultDays = 7;

    public const string PrivateAccount = "(private)";

    public static RouteGroupBuilder MapSpotifyUsageApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/spotify").WithTags("Spotify").RequireAuthorization().ProducesMemberProblems();
        group.MapGet("/usage", GetUsage)
            .WithSummary($"Spotify calls counted by UTC day, account, endpoint and outcome (from/to: yyyy-MM-dd, inclusive, at most {MaxDays} days; default the last {DefaultDays}), and the call budget with its pace and any pause. A private member's rows only to themselves (folded into '(private)' for others).");
        return group;
    }

    private static async Task<Results<Ok<SpotifyUsageView>, ValidationProblem>> GetUsage(
        string? from,
        string? to,
        ClaimsPrincipal user,
        AccountStore accounts,
        IGrainFactory grains,
        TimeProvider time)
    {
        var now = time.GetUtcNow();
        var errors = new QueryParsing();
        var last = Day(errors, nameof(to), to) ?? (from is null ? DateOnly.FromDateTime(now.UtcDateTime) : null);
        var first = Day(errors, nameof(from), from);
        if (!errors.HasErrors)
        {
            last ??= DateOnly.FromDayNumber(Math.Min(first!.Value.DayNumber + DefaultDays - 1, DateOnly.MaxValue.DayNumber));
            first ??= DateOnly.FromDayNumber(Math.Max(last.Value.DayNumber - (DefaultDays - 1), DateOnly.MinValue.DayNumber));
            if (first > last)
            {
                errors.Add(nameof(from), $"'from' ({first:yyyy-MM-dd}) is after 'to' ({last:yyyy-MM-dd}).");
            }
            else if (last.Value.DayNumber - first.Value.DayNumber + 1 > MaxDays)
            {
                errors.Add(nameof(to), $"The range may cover at most {MaxDays} days; {first:yyyy-MM-dd} to {last:yyyy-MM-dd} covers {last.Value.DayNumber - first.Value.DayNumber + 1}.");
            }
        }

        if (errors.HasErrors)
        {
            return TypedResults.ValidationProblem(errors.Errors, title: "Invalid query parameters");
        }

        var usage = await grains.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey).GetUsageAsync(first!.Value, last!.Value);
        var viewer = user.FindFirstValue(AuthExtensions.MemberClaim);
        var members = accounts.List().ToDictionary(a => a.AccountKey, StringComparer.Ordinal);

        // A private member's rows are shown under their id to themselves only; the others' rows of them are summed up.
        var rows = usage.Rows
            .Select(r => members.TryGetValue(r.AccountKey, out var member)
                ? MemberVisibility.Sees(viewer, member) ? (Row: r, Account: r.AccountKey, Name: member.DisplayName) : (Row: r, Account: PrivateAccount, Name: (string?)null)
                : (Row: r, Account: r.AccountKey, Name: null))
            .GroupBy(x => (x.Row.Day, x.Account, x.Name, x.Row.Endpoint, x.Row.Outcome))
            .Select(g => new SpotifyUsageRowView(g.Key.Day, g.Key.Account, g.Key.Name, g.Key.Endpoint, g.Key.Outcome, g.Sum(x => x.Row.Count), g.Key.Endpoint != Spotify.Http.SpotifyEndpoints.Token))
            .OrderBy(r => r.Day).ThenBy(r => r.Account, StringComparer.Ordinal).ThenBy(r => r.Endpoint, StringComparer.Ordinal).ThenBy(r => r.Outcome, StringComparer.Ordinal)
            .ToList();

        var budget = usage.Budget;
        var pause = SpotifyPauseView.From(budget, now);
        return TypedResults.Ok(new SpotifyUsageView(
            first.Value,
            last.Value,
            new QuotaBudgetView(budget.Limit, budget.Used, (long)budget.Window.TotalSeconds, Math.Round(budget.Pace, 3), budget.Exhausted, pause?.ResumesAt, pause?.Reason),
            rows.Where(r => r.CountsAgainstBudget).Sum(r => r.Count),
            rows.Where(r => !r.CountsAgainstBudget).Sum(r => r.Count),
            rows));
    }

    private static DateOnly? Day(QueryParsing errors, string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(name, $"'{value}' is not a UTC day as yyyy-MM-dd (e.g. 2026-11-25).");
        return null;
    }
}
