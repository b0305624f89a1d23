using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansSpotify.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the SQLite store; options come from the <c>Storage</c> section or <paramref name="configure"/>.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, Action<StorageOptions>? configure = null)
    {
        var options = services.AddOptions<StorageOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DatabaseReadiness>();
        services.TryAddSingleton<AccountStore>();
        services.TryAddSingleton<PlayQueries>();
        services.TryAddSingleton<GrainStateStore>();
        services.TryAddSingleton<KeyValueStore>();
        services.TryAddSingleton<GrainStateSealer>();
        services.TryAddSingleton<PlayLogReader>();
        services.TryAddSingleton<GenreStore>();
        services.TryAddSingleton<Metadata.TrackLookupStore>();
        services.TryAddSingleton<ShareTokenStore>();
        services.TryAddSingleton<HistoryGapStore>();
        services.TryAddSingleton<Import.ImportJobStore>();
        services.TryAddSingleton<Export.PlayExport>();
        services.TryAddSingleton<GenreCatalog>();
        services.TryAddSingleton<Stats.CatalogCache>();
        services.TryAddSingleton<Quota.SpotifyCallStore>();
        return services;
    }
}
