using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Data.Sqlite;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The real Host on Kestrel at <paramref name="address"/>:<paramref name="port"/> (real sockets, so a real proxy or a
/// client on another loopback address can reach it), with its own data directory and silo ports.
/// </summary>
internal sealed class KestrelHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private KestrelHost(IPAddress address, int port, IReadOnlyDictionary<string, string?> settings)
    {
        Address = address;
        Port = port;
        _settings = settings;
    }

    public IPAddress Address { get; }

    public int Port { get; }

    /// <summary>The origin Kestrel listens on (<c>http://127.0.0.1:PORT</c>).</summary>
    public Uri Origin => new($"http://{Address}:{Port}/");

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "orleans-spotify-host-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Starts the host and, in demo mode, waits until the demo's history import is complete.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        OrleansSpotify.Testing.DemoData.WaitForImport(host.Services);
        return host;
    }

    public static KestrelHost Start(IReadOnlyDictionary<string, string?> settings, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        var host = new KestrelHost(address, TestPorts.Free(address), settings);
        host.UseKestrel(options => options.Listen(address, host.Port));
        host.StartServer();
        return host;
    }


    /// <summary>A client of the real socket that follows no redirects and keeps its own cookies.</summary>
    public HttpClient CreateSocketClient(CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true })
        {
            BaseAddress = Origin,
        };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseWebRoot(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Orleans:SiloPort", TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        ListeningSignal.Tap(builder);
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
