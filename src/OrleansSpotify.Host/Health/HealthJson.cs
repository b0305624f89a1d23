using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansSpotify.Host.Health;

/// <summary>
/// The health endpoints' answer: <c>{"status":"Unhealthy","checks":[{"name":"database","status":"Unhealthy",
/// "description":"… SQLITE_FULL …","data":{…},"durationMs":1.2}]}</c>, never cached.
/// </summary>
public static class HealthJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new HealthView(
            report.Status.ToString(),
            [.. report.Entries.Select(e => new HealthCheckView(
                e.Key,
                e.Value.Status.ToString(),
                e.Value.Description ?? e.Value.Exception?.Message,
                e.Value.Data.Count == 0 ? null : e.Value.Data,
                Math.Round(e.Value.Duration.TotalMilliseconds, 1)))]);
        return JsonSerializer.SerializeAsync(context.Response.Body, body, Options, context.RequestAborted);
    }

    private sealed record HealthView(string Status, IReadOnlyList<HealthCheckView> Checks);

    private sealed record HealthCheckView(string Name, string Status, string? Description, IReadOnlyDictionary<string, object>? Data, double DurationMs);
}
