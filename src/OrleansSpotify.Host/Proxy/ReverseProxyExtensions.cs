using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace OrleansSpotify.Host.Proxy;

/// <summary>
/// Running behind a reverse proxy (Caddy, nginx, Traefik): the public scheme, host, client address and path prefix
/// come from <c>X-Forwarded-*</c> headers, but only from peers in <c>Proxy__TrustedNetworks</c>. Everything after it
/// (sign-in, cookies' <c>Secure</c> flag, redirects, rate limiting by client address) sees the public request.
/// </summary>
public static class ReverseProxyExtensions
{
    public static WebApplicationBuilder AddReverseProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptionsValidator>();
        builder.Services.AddSingleton<ForwardedPrefix>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;

            // No limit on the chain: each hop is believed only while the peer that added it is trusted.
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            IReadOnlyList<System.Net.IPNetwork> networks;
            try
            {
                networks = proxy.Value.ParseTrustedNetworks();
            }
            catch (FormatException)
            {
                networks = []; // Reported by the validator at start-up.
            }

            foreach (var network in networks)
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>The first middleware: applies forwarded headers from trusted proxies, <c>X-Forwarded-Prefix</c> as the path base.</summary>
    public static WebApplication UseReverseProxy(this WebApplication app)
    {
        var prefix = app.Services.GetRequiredService<ForwardedPrefix>();
        app.Use((context, next) => prefix.InvokeAsync(context, next));
        app.UseForwardedHeaders();
        return app;
    }
}
