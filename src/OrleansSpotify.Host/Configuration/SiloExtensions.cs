using System.Net;
using OrleansSpotify.Grains;

namespace OrleansSpotify.Host;

public static class SiloExtensions
{
    /// <summary>
    /// One silo in this process: localhost clustering, reminders in memory (the start-up task resumes every
    /// active listener after a restart, so nothing durable is lost), grain state and plays in SQLite.
    /// </summary>
    public static TBuilder AddOrleansSpotifySilo<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var endpoints = builder.Configuration.GetSection(OrleansEndpointOptions.SectionName).Get<OrleansEndpointOptions>() ?? new();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort);
            silo.Configure<Orleans.Configuration.EndpointOptions>(options => options.AdvertisedIPAddress = IPAddress.Loopback);
            silo.UseInMemoryReminderService();
            silo.AddOrleansSpotify();
        });
        return builder;
    }
}
