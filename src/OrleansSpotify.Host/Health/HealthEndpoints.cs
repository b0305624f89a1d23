using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Health;

public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddOrleansSpotifyHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<SpotifyQuotaHealthCheck>("spotify", tags: [ReadyTag]);

        // What /readyz reports shows in the API too: a write the database refuses answers 503 problem details, not 500.
        builder.Services.AddExceptionHandler<StorageOutageExceptionHandler>();
        return builder;
    }

    /// <summary>
    /// <c>/healthz</c>: the process answers (plain text "Healthy"). <c>/readyz</c>: the silo is active and the database
    /// takes writes (a real committed write, with room left to grow); 503 otherwise, as JSON naming each check, its
    /// status and why. Its <c>spotify</c> check reports the call budget and, while Spotify has paused the app, when it
    /// resumes: Degraded, still 200 (the service is up and loses nothing; it waits).
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        routes.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = HealthJson.WriteAsync });
        return routes;
    }
}

public sealed class DatabaseHealthCheck(DatabaseReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var check = await readiness.CheckAsync(cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["checkedAt"] = check.CheckedAt,
        };
        if (check.FreeBytes is { } free)
        {
            data["freeBytes"] = free;
        }

        return check.Ready ? HealthCheckResult.Healthy(check.Detail, data) : HealthCheckResult.Unhealthy(check.Detail, data: data);
    }
}

public sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("The silo is active.")
            : HealthCheckResult.Unhealthy($"The silo is {status}."));
    }
}

/// <summary>
/// The Spotify call budget and pause, for <c>/readyz</c>: Healthy, or Degraded (still 200) while Spotify has paused the
/// app ("resumes at …") or the budget is spent. Never Unhealthy: a pause is Spotify's, and nothing is lost while it lasts.
/// </summary>
public sealed class SpotifyQuotaHealthCheck(IGrainFactory grains, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        OrleansSpotify.Abstractions.QuotaBudget budget;
        try
        {
            budget = await grains.GetGrain<OrleansSpotify.Abstractions.ISpotifyQuotaGrain>(OrleansSpotify.Abstractions.Constants.QuotaGovernorKey)
                .GetBudgetAsync().WaitAsync(Timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The silo check says whether the silo is up; the budget is only information.
            return HealthCheckResult.Degraded("The Spotify call budget could not be read: " + ex.Message);
        }

        var now = time.GetUtcNow();
        var data = new Dictionary<string, object>
        {
            ["limit"] = budget.Limit,
            ["used"] = budget.Used,
            ["pace"] = Math.Round(budget.Pace, 3),
        };
        var pause = Api.SpotifyPauseView.From(budget, now);
        if (pause is not null)
        {
            data["resumesAt"] = pause.ResumesAt;
            if (pause.Reason is { } reason)
            {
                data["pauseReason"] = reason;
            }

            var why = pause.Reason == Api.SpotifyPauseView.QuotaExceeded ? "Spotify's quota is spent (QUOTA_EXCEEDED)" : "Spotify asked to wait (Retry-After)";
            return HealthCheckResult.Degraded(
                $"{why}: no Spotify call is sent; resumes at {pause.ResumesAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)}.", data: data);
        }

        return budget.Exhausted
            ? HealthCheckResult.Degraded($"The Spotify call budget is spent ({budget.Used} of {budget.Limit} in the window): only recently-played is read until calls free up.", data: data)
            : HealthCheckResult.Healthy($"{budget.Used} of {budget.Limit} Spotify calls used in the window.", data);
    }
}
