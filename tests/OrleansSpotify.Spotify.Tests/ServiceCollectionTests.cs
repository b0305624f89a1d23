using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

public sealed class ServiceCollectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Configuration_overload_binds_the_section_and_validates_on_start()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Spotify:ClientId"] = "abc",
                ["Spotify:ClientSecret"] = "shh",
                ["Spotify:RedirectUri"] = "https://music.example.org/auth/callback",
                ["Spotify:ApiBaseUrl"] = "http://127.0.0.1:9/v1",
                ["Spotify:AttemptTimeout"] = "00:00:03",
                ["Spotify:MaxRetryAttempts"] = "5",
            })
            .Build();
        using var services = new ServiceCollection().AddSpotifyClient(configuration.GetSection(SpotifyOptions.SectionName)).BuildServiceProvider();

        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<SpotifyOptions>>().Value;

        Assert.Equal("abc", options.ClientId);
        Assert.True(options.UsesClientSecret);
        Assert.Equal(new Uri("https://music.example.org/auth/callback"), options.RedirectUri);
        Assert.Equal(TimeSpan.FromSeconds(3), options.AttemptTimeout);
        Assert.Equal(5, options.MaxRetryAttempts);
    }

    [Fact]
    public void Missing_client_id_fails_validation_on_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Spotify:MaxRetryAttempts"] = "3" }).Build();
        using var services = new ServiceCollection().AddSpotifyClient(configuration.GetSection(SpotifyOptions.SectionName)).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(SpotifyOptions.ClientId), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_values_fail_validation()
    {
        using var services = new ServiceCollection()
            .AddSpotifyClient(o =>
            {
                o.ClientId = "abc";
                o.MaxRetryAttempts = 11;
                o.AttemptTimeout = TimeSpan.Zero;
            })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SpotifyOptions>>().Value);

        Assert.Contains(nameof(SpotifyOptions.MaxRetryAttempts), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SpotifyOptions.AttemptTimeout), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registrations_already_present_are_kept()
    {
        var store = new RecordingRateLimitStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var services = new ServiceCollection()
            .AddSingleton<ISpotifyRateLimitStore>(store)
            .AddSingleton<TimeProvider>(time)
            .AddSpotifyClient(o => o.ClientId = "abc")
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.Same(store, services.GetRequiredService<ISpotifyRateLimitStore>());
        Assert.Same(time, services.GetRequiredService<TimeProvider>());
        Assert.IsType<SpotifyApiClient>(services.GetRequiredService<ISpotifyApiClient>());
        Assert.IsType<SpotifyAccountsClient>(services.GetRequiredService<ISpotifyAccountsClient>());
        Assert.NotNull(services.GetRequiredService<SpotifyAuthorizedCaller>());
    }

    [Fact]
    public void Defaults_are_the_system_clock_and_the_in_memory_store()
    {
        using var services = new ServiceCollection().AddSpotifyClient(o => o.ClientId = "abc").BuildServiceProvider();

        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
        Assert.IsType<InMemorySpotifyRateLimitStore>(services.GetRequiredService<ISpotifyRateLimitStore>());
    }

    [Fact]
    public async Task Calling_it_twice_applies_both_configurations_but_adds_the_pipeline_once()
    {
        await using var server = await CannedSpotifyServer.StartAsync();
        var gateway = CannedResponse.Empty(503);
        server.Enqueue("/v1/me", gateway, gateway, gateway, gateway, gateway, gateway, gateway, gateway, gateway);
        await using var services = new ServiceCollection()
            .AddSpotifyClient(o =>
            {
                o.ClientId = "abc";
                o.ApiBaseUrl = new Uri(server.BaseUri, "v1");
            })
            .AddSpotifyClient(o =>
            {
                o.MaxRetryAttempts = 2;
                o.RetryBaseDelay = TimeSpan.Zero;
            })
            .BuildServiceProvider();

        await Assert.ThrowsAsync<SpotifyTransientException>(() => services.GetRequiredService<ISpotifyApiClient>().GetMeAsync("access-1", Ct));

        Assert.Equal(3, server.Requests.Count);
    }
}
