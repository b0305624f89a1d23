using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansSpotify.Grains;
using OrleansSpotify.Host.Auth;

namespace OrleansSpotify.Host.Live;

public static class LiveExtensions
{
    /// <summary>SignalR with the API's JSON conventions, and the grains' live events delivered over the hub.</summary>
    public static WebApplicationBuilder AddLiveUpdates(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR()
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower)));
        builder.Services.AddSingleton<ShareConnections>();
        builder.Services.AddSingleton<HubListeningEvents>();
        builder.Services.AddSingleton<IListeningEvents>(sp => sp.GetRequiredService<HubListeningEvents>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HubListeningEvents>());
        return builder;
    }

    /// <summary><c>/hubs/listening</c> for members and share tokens; anyone else's negotiate gets 401.</summary>
    public static IEndpointConventionBuilder MapListeningHub(this IEndpointRouteBuilder routes) =>
        routes.MapHub<ListeningHub>(ListeningHub.Path).RequireAuthorization(AuthExtensions.MemberOrSharePolicy);
}
