namespace OrleansSpotify.Host.Proxy;

/// <summary>
/// Where Kestrel listens: whatever ASP.NET Core is told (<c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>,
/// <c>ASPNETCORE_HTTPS_PORTS</c>, <c>--urls</c>, <c>Urls</c>/<c>URLS</c> or <c>Kestrel:Endpoints</c> in configuration);
/// with none of them, <see cref="Default"/> as always.
/// </summary>
public static class ListenUrls
{
    public const string Default = "http://0.0.0.0:5080";

    private static readonly string[] Keys = ["urls", "http_ports", "https_ports"];

    /// <summary>The default to add, or null when the configuration already says where to listen.</summary>
    public static string? DefaultFor(IConfiguration configuration) =>
        Keys.Any(key => !string.IsNullOrWhiteSpace(configuration[key])) || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any()
            ? null
            : Default;

    public static WebApplicationBuilder UseDefaultListenUrls(this WebApplicationBuilder builder)
    {
        if (DefaultFor(builder.Configuration) is { } urls)
        {
            builder.WebHost.UseUrls(urls);
        }

        return builder;
    }
}
