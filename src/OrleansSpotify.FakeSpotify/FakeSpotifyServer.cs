using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1) faking Spotify's accounts service and Web API, driven by an
/// injected <see cref="TimeProvider"/>. Thread-safe: tests may script users while clients call it.
/// </summary>
public sealed class FakeSpotifyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeSpotifyState _state;
    private int _disposed;

    private FakeSpotifyServer(WebApplication app, FakeSpotifyState state)
    {
        _app = app;
        _state = state;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri => _state.BaseUri;

    /// <summary>Where <c>/authorize</c> and <c>/api/token</c> live: <see cref="BaseUri"/>.</summary>
    public Uri AccountsBaseUrl => _state.BaseUri;

    /// <summary>The Web API root: <see cref="BaseUri"/> + <c>v1/</c>.</summary>
    public Uri ApiBaseUrl => _state.ApiBaseUri;

    public FakeSpotifyOptions Options => _state.Options;

    public IReadOnlyList<FakeUser> Users => _state.Users;

    public FakeFaults Faults => _state.Faults;

    /// <summary>
    /// Raised for every request once it has been answered and logged (faulted ones included), on the request's own
    /// thread and before its connection is released; a handler should be quick and must not throw.
    /// </summary>
    public event Action<FakeRequest>? RequestLogged
    {
        add => _state.RequestLogged += value;
        remove => _state.RequestLogged -= value;
    }

    /// <summary>A snapshot of the request log, oldest first (at most <see cref="FakeSpotifyOptions.MaxLoggedRequests"/>).</summary>
    public IReadOnlyList<FakeRequest> Requests => _state.Requests;

    /// <summary>Starts the server on 127.0.0.1; <paramref name="port"/> 0 picks a free port.</summary>
    public static async Task<FakeSpotifyServer> StartAsync(
        FakeSpotifyOptions? options = null,
        TimeProvider? clock = null,
        int port = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var state = new FakeSpotifyState(options ?? new FakeSpotifyOptions(), clock ?? TimeProvider.System);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeSpotifyServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,

            // Blank out the URL settings the host reads from ASPNETCORE_* variables before anything else runs.
            Args = ["--urls=", "--http_ports=", "--https_ports="],
        });

        // Isolated from the hosting process: no appsettings, environment variables (ASPNETCORE_URLS, …) or Kestrel sections leak in.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        state.Options.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));

        var app = builder.Build();
        var pipeline = new RequestPipeline(state);
        var authenticator = new ApiAuthenticator(state);
        app.UseRouting();
        app.Use(pipeline.InvokeAsync);
        AccountsEndpoints.Map(app, state);
        PlayerEndpoints.Map(app, state, authenticator);
        ProfileEndpoints.Map(app, state, authenticator);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        state.SetBaseUri(new Uri(address.TrimEnd('/') + "/"));
        return new FakeSpotifyServer(app, state);
    }

    /// <summary>Adds an account. <paramref name="accountId"/> null: <c>/v1/me</c> has no <c>account_id</c> (pre-2026 shape).</summary>
    public FakeUser AddUser(string id, string displayName, string? accountId = null) => _state.AddUser(id, displayName, accountId);

    /// <exception cref="KeyNotFoundException">No such user.</exception>
    public FakeUser GetUser(string id) => _state.GetUser(id);

    /// <summary>Serves a catalog's artists (with genres) and tracks from <c>/v1/artists/{id}</c> and <c>/v1/tracks/{id}</c>.</summary>
    public void AddCatalog(FakeCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _state.AddCatalog(catalog);
    }

    public void ClearRequests() => _state.ClearRequests();

    /// <summary>
    /// Every access and refresh token the fake has issued (sign-ins, refreshes, <see cref="IssueGrant(string, bool)"/>):
    /// for tests that must find none of them in a database, a log or a response.
    /// </summary>
    public IReadOnlyList<string> IssuedTokens => _state.Tokens.IssuedTokens();

    /// <summary>
    /// Tokens as if <paramref name="userId"/> had just signed in (authorized now) with the three player read scopes.
    /// <paramref name="pkce"/> false makes a confidential grant (refreshed with the client secret when one is set).
    /// </summary>
    public FakeGrant IssueGrant(string userId, bool pkce = true) => IssueGrant(userId, TokenRegistry.DefaultScope, pkce);

    /// <summary>As <see cref="IssueGrant(string, bool)"/> with an explicit space-separated scope list.</summary>
    public FakeGrant IssueGrant(string userId, string scope, bool pkce = true)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var user = GetUser(userId);
        return _state.Tokens.IssueGrant(user.Id, pkce, scope);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
