using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Data.Sqlite;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The real Host (silo + ASP.NET Core) on the test server, with its own SQLite directory and silo ports, and
/// settings passed as they would be by the environment. In demo mode it waits, before handing out a client, until the
/// demo's history import is complete, unless <paramref name="waitForDemoData"/> is false (the test of that signal).
/// </summary>
internal sealed class HostApplication(
    IReadOnlyDictionary<string, string?> settings,
    bool waitForDemoData = true,
    Action<IServiceCollection>? testServices = null) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "orleans-spotify-host-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Requests go to http://127.0.0.1 so that the sign-in cookie and the redirect URI share an origin.</summary>
    public static readonly Uri Origin = new("http://127.0.0.1");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The factory's content root is the Host's source folder; the built dashboard is in the output's wwwroot.
        builder.UseWebRoot(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Orleans:SiloPort", TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Spotify:RedirectUri", new Uri(Origin, "/auth/callback").AbsoluteUri);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        ListeningSignal.Tap(builder);

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    /// <summary>Starts the host and, in demo mode, waits until the demo's history import is complete.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        if (waitForDemoData)
        {
            OrleansSpotify.Testing.DemoData.WaitForImport(host.Services);
        }

        return host;
    }

    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = Origin,
    });

    /// <summary>A browser whose cookies the test can read (to hand the sign-in cookie to a hub connection).</summary>
    public HttpClient CreateBrowser(CookieContainer cookies) => CreateDefaultClient(Origin, new CookieContainerHandler(cookies));

    /// <summary>
    /// A SignalR connection to /hubs/listening over the test server's WebSockets, as a member (their cookies) or with
    /// a share token (<c>?share=</c>), or as nobody. Not started.
    /// </summary>
    public HubConnection CreateHubConnection(CookieContainer? cookies = null, string? share = null)
    {
        var url = new Uri(Origin, "/hubs/listening" + (share is null ? "" : "?share=" + Uri.EscapeDataString(share)));
        var cookie = cookies?.GetCookieHeader(Origin);
        var server = Server;
        return new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                if (!string.IsNullOrEmpty(cookie))
                {
                    options.Headers["Cookie"] = cookie;
                }

                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var client = server.CreateWebSocketClient();
                    client.ConfigureRequest = request =>
                    {
                        if (!string.IsNullOrEmpty(cookie))
                        {
                            request.Headers.Cookie = cookie;
                        }
                    };
                    return await client.ConnectAsync(context.Uri, cancellationToken);
                };
            })
            .Build();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

}
