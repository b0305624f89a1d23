using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Host.Demo;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The Host (demo mode, real Kestrel) behind Debian's real Caddy over https with <c>tls internal</c>: one site at the
/// root and one that serves it under <c>/music</c> (<c>handle_path</c> + <c>X-Forwarded-Prefix</c>): the site blocks
/// of the shipped deploy/Caddyfile, the sub-path variant uncommented. The whole sign-in (the fake's chooser) and the
/// live hub over wss go through Caddy.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CaddyTests(CaddyTests.Site site) : IClassFixture<CaddyTests.Site>
{
    [Fact]
    public Task SignInAndLiveUpdatesWorkThroughCaddyAtTheRoot() =>
        ProxiedSignIn.SignInAndListenAsync(site.RootOrigin, "", site.Fake.GetUser("alex"), site.Handler, site.Caddy.Validate);

    [Fact]
    public Task SignInAndLiveUpdatesWorkThroughCaddyUnderASubPath() =>
        ProxiedSignIn.SignInAndListenAsync(site.SubPathOrigin, "/music", site.Fake.GetUser("robin"), site.Handler, site.Caddy.Validate);

    /// <summary>The demo Host on Kestrel and one Caddy in front of it with two https sites (root and /music).</summary>
    public sealed class Site : IAsyncLifetime
    {
        private KestrelHost? _host;
        private ShippedCaddyfile? _sites;

        public CaddyServer Caddy => _sites!.Caddy;

        public FakeSpotifyServer Fake { get; private set; } = null!;

        public Uri RootOrigin => _sites!.RootOrigin;

        public Uri SubPathOrigin => _sites!.SubPathOrigin;

        public HttpMessageHandler Handler(CookieContainer cookies) => _sites!.Handler(cookies);

        public async ValueTask InitializeAsync()
        {
            var ct = TestContext.Current.CancellationToken;
            _host = KestrelHost.Start(new Dictionary<string, string?>
            {
                ["Demo"] = "true",
                ["Polling:ActiveInterval"] = "00:00:01",
                ["Polling:IdleMinInterval"] = "00:00:01",
                ["Polling:IdleMaxInterval"] = "00:00:02",
            });
            Fake = await _host.Services.GetRequiredService<DemoSpotify>().Server.WaitAsync(TimeSpan.FromSeconds(60), ct);
            _sites = await ShippedCaddyfile.StartAsync(_host.Port, ct);
        }

        public async ValueTask DisposeAsync()
        {
            if (_sites is not null)
            {
                await _sites.DisposeAsync();
            }

            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }
}
