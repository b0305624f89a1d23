using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Storage;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Import;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Registers what the grains need: SQLite storage (plays, accounts, grain state), the Spotify client with its
    /// Retry-After window persisted in SQLite, polling and batching options, and the start-up task that resumes
    /// every active listener. Live events go to <see cref="IListeningEvents"/> (a no-op unless the host registers
    /// its own). Configure <see cref="StorageOptions"/>, <see cref="SpotifyOptions"/>,
    /// <see cref="ListenerOptions"/> and <see cref="StorageGrainOptions"/> through the options system. Grain state is
    /// sealed at rest: the host must register an <see cref="ISecretProtector"/> (there is no plaintext fallback).
    /// </summary>
    public static ISiloBuilder AddOrleansSpotify(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.AddSqliteStorage();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IListeningEvents, NullListeningEvents>();
        services.TryAddSingleton<ISpotifyRateLimitStore, SqliteSpotifyRateLimitStore>();
        services.AddSpotifyClient();
        services.AddOptions<ListenerOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageGrainOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GenreOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MetadataOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StatsCacheOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Import.ImportJobOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QuotaOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<SpotifyCallFlusher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(static sp => sp.GetRequiredService<SpotifyCallFlusher>());
        services.AddImportReading();
        services.TryAddSingleton<Import.ImportJobLauncher>();
        services.AddKeyedSingleton<IGrainStorage>(Constants.GrainStorage, (sp, _) => ActivatorUtilities.CreateInstance<SqliteGrainStorage>(sp));
        // Before any grain reads its state: an older deployment's plaintext grain states are sealed once.
        builder.AddStartupTask(
            (sp, _) =>
            {
                sp.GetRequiredService<GrainStateSealer>().SealPlaintextStates();
                return Task.CompletedTask;
            },
            ServiceLifecycleStage.RuntimeStorageServices);
        builder.AddStartupTask<ResumeListenersStartupTask>();
        builder.AddStartupTask<Import.ResumeImportJobsStartupTask>();
        return builder;
    }
}
