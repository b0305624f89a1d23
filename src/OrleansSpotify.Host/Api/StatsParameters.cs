using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// The query parameters every stats endpoint takes, bound with [AsParameters]: a period (<c>range</c> = 4w, 6m, 1y
/// or all; or <c>from</c>/<c>to</c> as ISO dates — whole local days, <c>to</c> inclusive — or date-times, <c>to</c>
/// exclusive), the IANA zone days are counted in (<c>tz</c>; default the account's zone, else UTC) and the knobs of
/// individual stats. The names are the query's own (lower case), so the OpenAPI document shows them as sent.
/// </summary>
public sealed class StatsParameters
{
    [FromQuery(Name = "range")]
    public string? Range { get; set; }

    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    [FromQuery(Name = "tz")]
    public string? Tz { get; set; }

    [FromQuery(Name = "limit")]
    public string? Limit { get; set; }

    [FromQuery(Name = "by")]
    public string? By { get; set; }

    [FromQuery(Name = "bucket")]
    public string? Bucket { get; set; }

    [FromQuery(Name = "year")]
    public string? Year { get; set; }

    [FromQuery(Name = "gap")]
    public string? Gap { get; set; }

    /// <summary>Resolves the parameters at <paramref name="now"/>; errors are collected in <paramref name="query"/>.</summary>
    public StatsRequest Resolve(QueryParsing query, DateTimeOffset now, string? defaultZone = null)
    {
        var zoneId = string.IsNullOrWhiteSpace(Tz) ? defaultZone ?? "UTC" : Tz.Trim();
        if (!TextRules.TryFindZone(zoneId, out var zone))
        {
            query.Add("tz", $"'{Tz}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).");
            zone = TimeZoneInfo.Utc;
            zoneId = "UTC";
        }

        var clock = new LocalClock(zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        DateTimeOffset? from = null, to = null;
        var named = Range ?? (IsNamed(From) ? From : null);
        if (named is not null)
        {
            if (!string.IsNullOrWhiteSpace(To) || (Range is not null && !string.IsNullOrWhiteSpace(From)))
            {
                query.Add("range", "Give either a named range or 'from'/'to', not both.");
            }

            var start = named.Trim().ToLowerInvariant() switch
            {
                "4w" => today.AddDays(-27),
                "6m" => today.AddMonths(-6).AddDays(1),
                "1y" => today.AddYears(-1).AddDays(1),
                "all" => DateOnly.MinValue,
                _ => (DateOnly?)null,
            };
            if (start is null)
            {
                query.Add(Range is not null ? "range" : "from", $"'{named}' is not a range: use 4w, 6m, 1y or all, or ISO dates.");
            }
            else if (start != DateOnly.MinValue)
            {
                from = clock.StartOf(start.Value);
                to = clock.EndOf(today);
            }
        }
        else
        {
            from = Bound("from", From, clock, inclusiveEnd: false, query);
            to = Bound("to", To, clock, inclusiveEnd: true, query);
        }

        // Dates are whole days ('to' inclusive), so two dates in order always make a range, even one the clamping to
        // the instants stats know leaves empty (9999-12-31 in UTC); anything else must be a non-empty range.
        var bothDates = IsDate(From) && IsDate(To);
        if (from is { } f && to is { } t && (bothDates ? f > t : f >= t))
        {
            query.Add("from", $"'from' ({f:O}) must be before 'to' ({t:O}).");
        }

        var by = By?.Trim().ToLowerInvariant() switch
        {
            null or "" or "plays" => TopOrder.Plays,
            "time" => TopOrder.Time,
            _ => Invalid("by", By, "plays or time", query, TopOrder.Plays),
        };
        var bucket = Bucket?.Trim().ToLowerInvariant() switch
        {
            null or "" or "day" => TimelineBucket.Day,
            "week" => TimelineBucket.Week,
            "month" => TimelineBucket.Month,
            _ => Invalid("bucket", Bucket, "day, week or month", query, TimelineBucket.Day),
        };
        int? year = string.IsNullOrWhiteSpace(Year) ? null : query.Int("year", Year, today.Year, 1900, 2200);
        return new StatsRequest(
            from,
            to,
            zoneId,
            query.Int("limit", Limit, 10, 1, 500),
            by,
            bucket,
            year,
            query.Int("gap", Gap, 20, 1, 1440));
    }

    private static bool IsDate(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsNamed(string? value) => value?.Trim().ToLowerInvariant() is "4w" or "6m" or "1y" or "all";

    private static DateTimeOffset? Bound(string name, string? value, LocalClock clock, bool inclusiveEnd, QueryParsing query)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return inclusiveEnd ? clock.EndOf(date) : clock.StartOf(date);
        }

        return query.Instant(name, value) is { } instant ? LocalClock.Clamp(instant) : null;
    }

    private static T Invalid<T>(string name, string? value, string allowed, QueryParsing query, T fallback)
    {
        query.Add(name, $"'{value}' is not valid: use {allowed}.");
        return fallback;
    }
}
