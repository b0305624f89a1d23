using System.Net;

namespace OrleansSpotify.Testing;

/// <summary>
/// (Shared source: compiled into OrleansSpotify.Host.Tests and OrleansSpotify.Web.Tests.)
/// Debian's Caddy running the site blocks of the shipped deploy/Caddyfile in front of a Host on
/// <c>127.0.0.1:upstreamPort</c>, over https with <c>tls internal</c>: the root site as it is (its name and upstream
/// from the environment, as the file documents), and the commented sub-path variant, uncommented (<c>handle_path
/// /music/*</c> + <c>X-Forwarded-Prefix</c>), on another port instead of home.example.
/// </summary>
public sealed class ShippedCaddyfile : IAsyncDisposable
{
    private ShippedCaddyfile(CaddyServer caddy, Uri rootOrigin, Uri subPathOrigin)
    {
        Caddy = caddy;
        RootOrigin = rootOrigin;
        SubPathOrigin = subPathOrigin;
    }

    public CaddyServer Caddy { get; }

    /// <summary>The root site: <c>https://127.0.0.1:PORT/</c>.</summary>
    public Uri RootOrigin { get; }

    /// <summary>The sub-path site: the app at <c>https://127.0.0.1:PORT/music/</c>.</summary>
    public Uri SubPathOrigin { get; }

    /// <summary>Starts Caddy and returns once both sites answer <c>/healthz</c> over https (Caddy's root trusted).</summary>
    public static async Task<ShippedCaddyfile> StartAsync(int upstreamPort, CancellationToken cancellationToken)
    {
        var rootOrigin = new Uri($"https://127.0.0.1:{TestPorts.Free()}/");
        var subPathPort = TestPorts.Free();
        var caddy = await CaddyServer.StartAsync(
            Sites(subPathPort),
            TestPorts.Free(),
            "127.0.0.1",
            new Dictionary<string, string>
            {
                ["ORLEANS_SPOTIFY_SITE"] = rootOrigin.GetLeftPart(UriPartial.Authority),
                ["ORLEANS_SPOTIFY_UPSTREAM"] = $"127.0.0.1:{upstreamPort}",
            },
            cancellationToken);
        var site = new ShippedCaddyfile(caddy, rootOrigin, new Uri($"https://127.0.0.1:{subPathPort}/"));
        try
        {
            await site.WaitForHttpsAsync(new Uri(site.RootOrigin, "/healthz"), cancellationToken);
            await site.WaitForHttpsAsync(new Uri(site.SubPathOrigin, "/music/healthz"), cancellationToken);
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }

        return site;
    }

    /// <summary>A client handler that trusts only Caddy's local CA, follows no redirects and keeps <paramref name="cookies"/>.</summary>
    public HttpMessageHandler Handler(CookieContainer cookies) => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        CookieContainer = cookies,
        UseCookies = true,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Caddy.Validate(certificate, chain, errors) },
    };

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansSpotify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"OrleansSpotify.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// The site blocks of the shipped deploy/Caddyfile (its global options are the test's): the root site as it is,
    /// and the commented sub-path variant, uncommented, on <paramref name="subPathPort"/> instead of home.example.
    /// </summary>
    private static string Sites(int subPathPort)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "deploy", "Caddyfile"));
        var rootStart = Array.FindIndex(lines, l => l.StartsWith("{$ORLEANS_SPOTIFY_SITE", StringComparison.Ordinal));
        var rootEnd = rootStart < 0 ? -1 : Array.FindIndex(lines, rootStart, l => l == "}");
        var subStart = Array.FindIndex(lines, l => l.StartsWith("# home.example {", StringComparison.Ordinal));
        var subEnd = subStart < 0 ? -1 : Array.FindIndex(lines, subStart, l => l == "# }");
        if (!(rootStart >= 0 && rootEnd > rootStart && subStart > rootEnd && subEnd > subStart))
        {
            throw new InvalidOperationException("deploy/Caddyfile no longer has a root site followed by a commented home.example variant.");
        }

        var root = lines[rootStart..(rootEnd + 1)];
        var sub = lines[subStart..(subEnd + 1)]
            .Select(l => l.Length > 1 ? l[2..] : "")
            .Select(l => l.Replace("home.example {", $"https://127.0.0.1:{subPathPort} {{", StringComparison.Ordinal));
        return string.Join('\n', root) + "\n\n" + string.Join('\n', sub) + "\n";
    }


    /// <summary>
    /// The first successful https request through Caddy. Caddy is another process and its listener may lag the
    /// certificate's log line: answering is the only signal, so the request is retried, bounded.
    /// </summary>
    private async Task WaitForHttpsAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(Handler(new CookieContainer()));
        await Eventually.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync(uri, cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{uri} answered {(int)response.StatusCode} through Caddy:\n{Caddy.Log}");
                }

                return true;
            },
            TimeSpan.FromSeconds(30),
            $"Caddy to answer {uri}",
            cancellationToken);
    }

    public ValueTask DisposeAsync() => Caddy.DisposeAsync();
}
