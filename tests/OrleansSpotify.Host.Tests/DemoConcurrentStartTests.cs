using System.Net.Http.Json;
using System.Text.Json;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// Two demo hosts started at the same moment each get their own fake Spotify: the fake binds a port the system picks
/// instead of a free port picked first and bound later (which the other host, starting at once, could take in between).
/// </summary>
public sealed class DemoConcurrentStartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoDemoHostsStartedAtOnceBothSignTheirHouseholdInAndImportItsHistory()
    {
        string[] args = ["--demo", "--urls", "http://127.0.0.1:0"];
        await using var first = HostProcess.Start(args, new Dictionary<string, string>());
        await using var second = HostProcess.Start(args, new Dictionary<string, string>());
        var origins = await Task.WhenAll(first.ListeningOn, second.ListeningOn).WaitAsync(TimeSpan.FromMinutes(2), Ct);
        Assert.NotEqual(origins[0].Port, origins[1].Port);

        // Each host's household signs in through its own fake and its months of history are imported: with both fakes
        // on one port, one host could not have started, or would sign in against the other's fake and import nothing.
        using var client = new HttpClient();
        foreach (var (origin, host) in origins.Zip([first, second]))
        {
            await Eventually.UntilAsync(
                async () => (await client.GetFromJsonAsync<JsonElement>(new Uri(origin, "api/info"), Ct)).GetProperty("demoDataComplete").GetBoolean(),
                DemoData.ImportTimeout,
                $"the demo at {origin} to report its data complete; its output:\n{host.Output}",
                Ct);
        }
    }
}
