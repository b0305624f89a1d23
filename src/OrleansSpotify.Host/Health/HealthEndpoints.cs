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
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);

        // What /readyz reports shows in the API too: a write the database refuses answers 503 problem details, not 500.
        builder.Services.AddExceptionHandler<StorageOutageExceptionHandler>();
        return builder;
    }

    /// <summary>
    /// <c>/healthz</c>: the process answers (plain text "Healthy"). <c>/readyz</c>: the silo is active and the database
    /// takes writes (a real committed write, with room left to grow); 503 otherwise, as JSON naming each check, its
    /// status and why.
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
