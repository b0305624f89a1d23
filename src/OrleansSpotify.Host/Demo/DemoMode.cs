using Microsoft.Extensions.Options;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Spotify;

namespace OrleansSpotify.Host.Demo;

/// <summary>
/// <c>--demo</c> (or <c>Demo=true</c>): runs the built-in fake Spotify on a loopback port, points the Spotify client
/// at it, and signs a simulated household of three listeners in. Data goes to <c>{DataDirectory}/demo</c>, apart
/// from real data, and starts afresh on every run: the fake's accounts and tokens live in memory only, so the previous
/// run's grants could not be refreshed anyway. The fake binds a port the system picks (never a free port picked first and
/// bound later, which another process starting at the same moment could take in between) when the Spotify settings are
/// first read, as the host starts — after the host is built, so no second host is built while Program runs (that would
/// be the host WebApplicationFactory captures) — and the settings take its address from it.
/// </summary>
public static class DemoMode
{
    public const string Switch = "--demo";

    /// <summary>The arguments without the <c>--demo</c> switch, for the command-line configuration.</summary>
    public static string[] WithoutSwitch(string[] args) => [.. args.Where(a => !a.Equals(Switch, StringComparison.OrdinalIgnoreCase))];

    public static bool Configure(WebApplicationBuilder builder, string[] args)
    {
        var demo = args.Contains(Switch, StringComparer.OrdinalIgnoreCase) || builder.Configuration.GetValue<bool>("Demo");
        if (!demo)
        {
            return false;
        }

        var dataDirectory = builder.Configuration["Storage:DataDirectory"] ?? "./data";
        var demoDirectory = Path.Combine(dataDirectory, "demo");
        // Each demo starts afresh, unless a demo still runs on this directory: its data stays, and its service.lock
        // refuses this one at start-up instead.
        if (Directory.Exists(demoDirectory) && ServiceLock.TryAcquire(demoDirectory) is { } unused)
        {
            unused.Dispose();
            Directory.Delete(demoDirectory, recursive: true);
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Spotify:ClientId"] = new FakeSpotifyOptions().ClientId,
            ["Spotify:ClientSecret"] = null,
            ["Storage:DataDirectory"] = demoDirectory,
        });
        builder.Services.AddSingleton<DemoSpotify>();
        builder.Services.AddSingleton<IPostConfigureOptions<SpotifyOptions>, DemoSpotifyAddress>();
        builder.Services.AddSingleton<DemoDataStatus>();
        builder.Services.AddSingleton<DemoSignInPage>();
        builder.Services.AddHttpClient(DemoSignInPage.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoSpotify>());
        builder.Services.AddHostedService<DemoHouseholdSignIn>();
        return true;
    }
}

/// <summary>The demo's fake Spotify and its simulated household (three members listening around the clock).</summary>
public sealed class DemoSpotify : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<FakeSpotifyServer> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lazy<Task<FakeSpotifyServer>> _server = new(
        () => FakeSpotifyServer.StartAsync(new FakeSpotifyOptions { AllowAnyRedirectUri = true }, TimeProvider.System, port: 0),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>How far back the demo's imported history reaches.</summary>
    public static readonly TimeSpan HistorySpan = TimeSpan.FromDays(120);

    public IReadOnlyList<FakeUser> Users { get; private set; } = [];

    /// <summary>Plays that end before this are the members' imported history; later ones are polled live.</summary>
    public DateTimeOffset LiveFrom { get; private set; }

    /// <summary>The fake, once its household is seeded.</summary>
    public Task<FakeSpotifyServer> Server => _started.Task;

    /// <summary>The fake listening (started on first use, on a port the system picks), its household perhaps not yet seeded.</summary>
    public Task<FakeSpotifyServer> Listening => _server.Value;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var server = await Listening.WaitAsync(cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var catalog = FakeCatalog.Generate(seed: 2026);

        // Months of past listening first (imported at sign-in, as a member's data export would be), then the live
        // timeline: from three hours ago on, what the poller sees through currently-playing and recently-played.
        LiveFrom = now - TimeSpan.FromHours(3);
        FakeHousehold.SeedDemo(server, catalog, LiveFrom - HistorySpan, HistorySpan - TimeSpan.FromMinutes(30), seed: 8);
        Users = FakeHousehold.SeedDemo(server, catalog, LiveFrom, TimeSpan.FromDays(7), seed: 7);
        _started.TrySetResult(server);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server.IsValueCreated)
        {
            await (await _server.Value).DisposeAsync();
        }
    }
}

/// <summary>
/// Points the Spotify client at the demo's fake: its address is known once it listens, so the first read of the
/// Spotify settings (their validation as the host starts) starts it.
/// </summary>
internal sealed class DemoSpotifyAddress(DemoSpotify demo) : IPostConfigureOptions<SpotifyOptions>
{
    public void PostConfigure(string? name, SpotifyOptions options)
    {
        // Options are built synchronously; the fake starts in well under a second and has no synchronisation context to deadlock on.
        var fake = demo.Listening.GetAwaiter().GetResult();
        options.AccountsBaseUrl = fake.AccountsBaseUrl;
        options.ApiBaseUrl = fake.ApiBaseUrl;
    }
}
