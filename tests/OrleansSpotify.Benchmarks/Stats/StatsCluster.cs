using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using OrleansSpotify.Grains;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Benchmarks.Stats;

/// <summary>
/// One silo (Orleans InProcessTestCluster) with the real grains and real time over the benchmark's database, which
/// outlives it. Every silo has its own DI container, so a new one starts with a cold <c>CatalogCache</c>. No Spotify is
/// reached: the accounts are stopped, so no listener resumes.
/// </summary>
public sealed class StatsCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private StatsCluster(InProcessTestCluster cluster)
    {
        _cluster = cluster;
    }

    /// <summary>The external client: every answer crosses the wire to it, serialized, as it would to the web host.</summary>
    public IClusterClient Client => _cluster.Client;

    public IServiceProvider SiloServices => _cluster.Silos[0].ServiceProvider;

    /// <summary>The silo's serializer (for payload sizes).</summary>
    public Serializer Serializer => SiloServices.GetRequiredService<Serializer>();

    public static async Task<StatsCluster> StartAsync(StorageOptions storage)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryReminderService();
            silo.AddOrleansSpotify();
            var services = silo.Services;
            services.Configure<StorageOptions>(o =>
            {
                o.DataDirectory = storage.DataDirectory;
                o.DatabaseFileName = storage.DatabaseFileName;
            });
            services.Configure<SpotifyOptions>(o => o.ClientId = "stats-benchmark");
            OrleansSpotify.Testing.KeyRingSecretProtector.Register(services, Path.Combine(storage.DataDirectory, "keys"));
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

        return new StatsCluster(cluster);
    }

    public bool IsActive(IAddressable grain) => _cluster.TryGetGrainContext(grain.GetGrainId(), out _);

    /// <summary>Deactivates each grain that is active and waits until it is gone.</summary>
    public async Task DeactivateAsync(IEnumerable<IAddressable> grains)
    {
        foreach (var grain in grains)
        {
            if (IsActive(grain))
            {
                await _cluster.DeactivateAsync(grain);
            }

            if (IsActive(grain))
            {
                throw new InvalidOperationException($"{grain.GetGrainId()} is still active after its deactivation.");
            }
        }
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();
}
