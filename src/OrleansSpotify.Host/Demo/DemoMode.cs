using System.Net;
using System.Net.Sockets;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Demo;

/// <summary>
/// <c>--demo</c> (or <c>Demo=true</c>): runs the built-in fake Spotify on a loopback port, points the Spotify client
/// at it, and signs a simulated household of three listeners in. Data goes to <c>{DataDirectory}/demo</c>, apart
/// from real data, and starts afresh on every run: the fake's accounts and tokens live in memory only, so the previous
/// run's grants could not be refreshed anyway. The fake starts as the first hosted service, before the silo.
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

        var port = FreeLoopbackPort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var dataDirectory = builder.Configuration["Storage:DataDirectory"] ?? "./data";
        var demoDirectory = Path.Combine(dataDirectory, "demo");
        if (Directory.Exists(demoDirectory))
        {
            Directory.Delete(demoDirectory, recursive: true);
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Spotify:ClientId"] = new FakeSpotifyOptions().ClientId,
            ["Spotify:ClientSecret"] = null,
            ["Spotify:AccountsBaseUrl"] = baseUrl.AbsoluteUri,
            ["Spotify:ApiBaseUrl"] = new Uri(baseUrl, "v1/").AbsoluteUri,
            ["Storage:DataDirectory"] = demoDirectory,
        });
        builder.Services.AddSingleton(new DemoSpotify(port));
        builder.Services.AddSingleton<DemoDataStatus>();
        builder.Services.AddSingleton<DemoSignInPage>();
        builder.Services.AddHttpClient(DemoSignInPage.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoSpotify>());
        builder.Services.AddHostedService<DemoHouseholdSignIn>();
        return true;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The demo's fake Spotify and its simulated household (three members listening around the clock).</summary>
public sealed class DemoSpotify(int port) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<FakeSpotifyServer> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FakeSpotifyServer? _server;

    /// <summary>How far back the demo's imported history reaches.</summary>
    public static readonly TimeSpan HistorySpan = TimeSpan.FromDays(120);

    public IReadOnlyList<FakeUser> Users { get; private set; } = [];

    /// <summary>Plays that end before this are the members' imported history; later ones are polled live.</summary>
    public DateTimeOffset LiveFrom { get; private set; }

    public Task<FakeSpotifyServer> Server => _started.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions { AllowAnyRedirectUri = true }, TimeProvider.System, port, cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var catalog = FakeCatalog.Generate(seed: 2026);

        // Months of past listening first (imported at sign-in, as a member's data export would be), then the live
        // timeline: from three hours ago on, what the poller sees through currently-playing and recently-played.
        LiveFrom = now - TimeSpan.FromHours(3);
        FakeHousehold.SeedDemo(_server, catalog, LiveFrom - HistorySpan, HistorySpan - TimeSpan.FromMinutes(30), seed: 8);
        Users = FakeHousehold.SeedDemo(_server, catalog, LiveFrom, TimeSpan.FromDays(7), seed: 7);
        _started.TrySetResult(_server);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
