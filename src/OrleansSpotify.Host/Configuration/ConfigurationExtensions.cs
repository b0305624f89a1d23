using Microsoft.Extensions.Options;
using OrleansSpotify.Grains;
using OrleansSpotify.Spotify;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host;

public static class ConfigurationExtensions
{
    /// <summary>Binds every options class to its section and validates it when the host starts.</summary>
    public static TBuilder AddOrleansSpotifyConfiguration<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        DotEnv.Load(builder.Configuration, Path.Combine(builder.Environment.ContentRootPath, ".env"), Path.Combine(Directory.GetCurrentDirectory(), ".env"));

        var services = builder.Services;
        services.AddOptions<SpotifyOptions>().BindConfiguration(SpotifyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SpotifyOptions>, SpotifyConfigurationValidator>();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageGrainOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ListenerOptions>().BindConfiguration(ListenerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GenreOptions>().BindConfiguration(GenreOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MetadataOptions>().BindConfiguration(MetadataOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StatsCacheOptions>().BindConfiguration(StatsCacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OrleansSpotify.Grains.Import.ImportJobOptions>().BindConfiguration(OrleansSpotify.Import.ImportLimits.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OrleansEndpointOptions>().BindConfiguration(OrleansEndpointOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}

/// <summary>The silo's ports (section <c>Orleans</c>); the single-silo default listens on loopback only.</summary>
public sealed class OrleansEndpointOptions
{
    public const string SectionName = "Orleans";

    [System.ComponentModel.DataAnnotations.Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [System.ComponentModel.DataAnnotations.Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;
}
