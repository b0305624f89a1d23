using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace OrleansSpotify.Spotify.Tests.Infrastructure;

/// <summary>
/// A <see cref="CannedSpotifyServer"/> plus a container built with <see cref="SpotifyServiceCollectionExtensions.AddSpotifyClient(IServiceCollection, Action{SpotifyOptions}?)"/>
/// pointing both base URLs at it, with zero back-off, a recording logger and (by default) a <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class SpotifyHarness : IAsyncDisposable
{
    public const string ClientId = "test-client-id";
    public const string ApiPrefix = "/v1/";
    public static readonly DateTimeOffset Start = new(2026, 9, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly Uri RedirectUri = new("http://127.0.0.1:5080/auth/callback");

    private SpotifyHarness(CannedSpotifyServer server, ServiceProvider services, TimeProvider time, RecordingLoggerProvider logs, ISpotifyRateLimitStore store)
    {
        Server = server;
        Services = services;
        TimeProvider = time;
        Logs = logs;
        Store = store;
    }

    public CannedSpotifyServer Server { get; }

    public ServiceProvider Services { get; }

    public TimeProvider TimeProvider { get; }

    public FakeTimeProvider Time => (FakeTimeProvider)TimeProvider;

    public RecordingLoggerProvider Logs { get; }

    public ISpotifyRateLimitStore Store { get; }

    public ISpotifyApiClient Api => Services.GetRequiredService<ISpotifyApiClient>();

    public ISpotifyAccountsClient Accounts => Services.GetRequiredService<ISpotifyAccountsClient>();

    public SpotifyAuthorizedCaller Caller => Services.GetRequiredService<SpotifyAuthorizedCaller>();

    public static async Task<SpotifyHarness> StartAsync(
        Action<SpotifyOptions>? configure = null,
        TimeProvider? timeProvider = null,
        ISpotifyRateLimitStore? store = null)
    {
        var server = await CannedSpotifyServer.StartAsync();
        var time = timeProvider ?? new FakeTimeProvider(Start);
        var logs = new RecordingLoggerProvider();
        store ??= new InMemorySpotifyRateLimitStore();

        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton(time)
            .AddSingleton(store)
            .AddSpotifyClient(options =>
            {
                options.ClientId = ClientId;
                options.RedirectUri = RedirectUri;
                options.AccountsBaseUrl = server.BaseUri;
                options.ApiBaseUrl = new Uri(server.BaseUri, "v1/");
                options.MaxRetryAttempts = 2;
                options.RetryBaseDelay = TimeSpan.Zero;
                options.AttemptTimeout = TimeSpan.FromSeconds(5);
                configure?.Invoke(options);
            })
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        return new SpotifyHarness(server, services, time, logs, store);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
