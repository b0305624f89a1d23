using System.Net;
using Microsoft.Extensions.Configuration;
using OrleansSpotify.Host.Proxy;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>The ports people expect: each of ASP.NET Core's ways to choose them works on the real process; none means 5080.</summary>
public sealed class ListenUrlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Ways => ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "--urls", "URLS"];

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task TheHostListensWhereItIsTold(string way)
    {
        var port = TestPorts.Free();
        var url = $"http://127.0.0.1:{port}";
        var (args, environment) = way switch
        {
            "ASPNETCORE_URLS" => (Array.Empty<string>(), new Dictionary<string, string> { ["ASPNETCORE_URLS"] = url }),
            "ASPNETCORE_HTTP_PORTS" => ([], new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            "--urls" => (["--urls", url], []),
            "URLS" => ([], new Dictionary<string, string> { ["URLS"] = url }),
            _ => throw new ArgumentOutOfRangeException(nameof(way)),
        };

        await using var host = HostProcess.Start(args, environment);
        var listening = await host.ListeningOn.WaitAsync(TimeSpan.FromSeconds(120), Ct);
        using var client = new HttpClient();
        using var health = await client.GetAsync($"http://127.0.0.1:{port}/healthz", Ct);

        Assert.Equal(port, listening.Port);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain(":5080", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void WithNothingSetTheDefaultIs5080OnEveryInterface()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Spotify:ClientId"] = "x" }).Build();

        Assert.Equal("http://0.0.0.0:5080", ListenUrls.DefaultFor(configuration));
    }

    [Theory]
    [InlineData("urls", "http://127.0.0.1:6000")]
    [InlineData("URLS", "http://127.0.0.1:6000")]
    [InlineData("http_ports", "6000")]
    [InlineData("https_ports", "6001")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:6000")]
    public void AnyListenSettingReplacesTheDefault(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        Assert.Null(ListenUrls.DefaultFor(configuration));
    }

    [Fact]
    public void TheShippedSettingsDoNotPinTheUrls()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();

        Assert.Null(configuration["Urls"]);
        Assert.Equal("http://0.0.0.0:5080", ListenUrls.DefaultFor(configuration));
    }
}
