using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using OrleansSpotify.Grains;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Benchmarks.Storage;

/// <summary>
/// One silo (Orleans InProcessTestCluster) with the real grains over a fresh SQLite file in its own directory,
/// which disposing deletes. No Spotify is reached: no account exists when the silo starts, so no listener resumes.
/// </summary>
public sealed class StorageCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private readonly TempDirectory _directory;

    private StorageCluster(InProcessTestCluster cluster, TempDirectory directory, CommitCounter commits)
    {
        _cluster = cluster;
        _directory = directory;
        Commits = commits;
    }

    /// <summary>The transactions the storage grain has committed so far.</summary>
    public CommitCounter Commits { get; }

    public IServiceProvider SiloServices => _cluster.Silos[0].ServiceProvider;

    /// <summary>The grain factory the callers use: the silo's own (as listener grains call) or the external client's.</summary>
    public IGrainFactory GrainFactory(CallerLocation callers) =>
        callers == CallerLocation.Silo ? SiloServices.GetRequiredService<IGrainFactory>() : _cluster.Client;

    public static async Task<StorageCluster> StartAsync(TempDirectory directory, int maxBatchSize, TimeSpan flushDelay)
    {
        var commits = new CommitCounter();
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryReminderService();
            silo.AddOrleansSpotify();
            var services = silo.Services;
            services.Configure<StorageOptions>(o => o.DataDirectory = directory.Path);
            OrleansSpotify.Testing.KeyRingSecretProtector.Register(services, System.IO.Path.Combine(directory.Path, "keys"));
            services.Configure<StorageGrainOptions>(o =>
            {
                o.MaxBatchSize = maxBatchSize;
                o.FlushDelay = flushDelay;
            });
            services.Configure<SpotifyOptions>(o => o.ClientId = "storage-benchmark");
            services.AddLogging(logging => logging
                .AddProvider(commits)
                .AddFilter<CommitCounter>(CommitCounter.Category, LogLevel.Debug));
        });

        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return new StorageCluster(cluster, directory, commits);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _directory.Dispose();
    }
}
