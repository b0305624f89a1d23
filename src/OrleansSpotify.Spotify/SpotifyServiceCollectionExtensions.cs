using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansSpotify.Spotify.Http;

namespace OrleansSpotify.Spotify;

public static class SpotifyServiceCollectionExtensions
{
    public const string UserAgent = "OrleansSpotify/1.0";

    /// <summary>
    /// Registers the Spotify clients: <see cref="ISpotifyAccountsClient"/> and <see cref="ISpotifyApiClient"/> as typed
    /// HttpClients with the retry/timeout pipeline (the Web API one also behind the app-wide rate-limit gate),
    /// <see cref="SpotifyAuthorizedCaller"/>, <see cref="TimeProvider.System"/> and <see cref="InMemorySpotifyRateLimitStore"/>
    /// unless already registered, and validation of <see cref="SpotifyOptions"/>. Binds no configuration: bind the
    /// <see cref="SpotifyOptions.SectionName"/> section yourself or use the <see cref="IConfiguration"/> overload.
    /// Calling it again only applies <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddSpotifyClient(this IServiceCollection services, Action<SpotifyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var optionsBuilder = services.AddOptions<SpotifyOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(SpotifyClientMarker)))
        {
            return services;
        }

        services.AddSingleton<SpotifyClientMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SpotifyOptions>, SpotifyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISpotifyRateLimitStore, InMemorySpotifyRateLimitStore>();
        services.TryAddSingleton<SpotifyRateLimitGate>();
        services.TryAddSingleton<ISpotifyRateLimitStatus>(static sp => sp.GetRequiredService<SpotifyRateLimitGate>());
        services.TryAddSingleton<SpotifyCallLedger>();
        services.TryAddTransient<SpotifyRateLimitHandler>();
        services.TryAddTransient<SpotifyAuthorizedCaller>();

        // Header values (Authorization) never reach HttpClient's own logs, whatever the log level.
        var accounts = services
            .AddHttpClient<ISpotifyAccountsClient, SpotifyAccountsClient>((provider, client) =>
                Configure(client, provider.GetRequiredService<IOptions<SpotifyOptions>>().Value.AccountsBaseUrl))
            .RedactLoggedHeaders(static _ => true);
        accounts.AddResilienceHandler(SpotifyResilience.AccountsPipelineName, SpotifyResilience.Configure);
        accounts.AddHttpMessageHandler(static sp => Counter(sp, tokenEndpoint: true));

        // Handlers run outermost first: the gate sits inside the retries, so it checks every attempt and a 429 ends them;
        // the counter sits innermost, so it counts every attempt sent (and nothing the gate refused).
        var api = services
            .AddHttpClient<ISpotifyApiClient, SpotifyApiClient>((provider, client) =>
                Configure(client, provider.GetRequiredService<IOptions<SpotifyOptions>>().Value.ApiBaseUrl))
            .RedactLoggedHeaders(static _ => true);
        api.AddResilienceHandler(SpotifyResilience.ApiPipelineName, SpotifyResilience.Configure);
        api.AddHttpMessageHandler<SpotifyRateLimitHandler>();
        api.AddHttpMessageHandler(static sp => Counter(sp, tokenEndpoint: false));

        return services;
    }

    /// <summary>
    /// Binds <see cref="SpotifyOptions"/> to <paramref name="configuration"/> (normally the <see cref="SpotifyOptions.SectionName"/>
    /// section), validates it on start, then calls <see cref="AddSpotifyClient(IServiceCollection, Action{SpotifyOptions}?)"/>.
    /// </summary>
    public static IServiceCollection AddSpotifyClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SpotifyOptions>().Bind(configuration).ValidateOnStart();
        return services.AddSpotifyClient();
    }

    private static SpotifyCallCountingHandler Counter(IServiceProvider provider, bool tokenEndpoint) =>
        new(provider.GetRequiredService<SpotifyCallLedger>(), provider.GetRequiredService<TimeProvider>(), tokenEndpoint);

    private static void Configure(HttpClient client, Uri baseUrl)
    {
        client.BaseAddress = SpotifyUris.WithTrailingSlash(baseUrl);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    private sealed class SpotifyClientMarker;
}
