using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansSpotify.Spotify.Tests.Infrastructure;

/// <summary>
/// A tiny Kestrel server on 127.0.0.1 (ephemeral port) that answers each path from a queue of canned responses and
/// records every request it receives. A path with an empty queue answers 599 so a surplus request shows up in asserts.
/// </summary>
internal sealed class CannedSpotifyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<CannedResponse>> _responses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _arrivals = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _count;

    private CannedSpotifyServer(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<CannedSpotifyServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1));

        var server = new CannedSpotifyServer(builder.Build());
        await server._app.StartAsync(TestContext.Current.CancellationToken);
        var address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Queues responses for <paramref name="path"/> (e.g. <c>/v1/me</c>), answered in order.</summary>
    public CannedSpotifyServer Enqueue(string path, params CannedResponse[] responses)
    {
        var queue = _responses.GetOrAdd(path, _ => new ConcurrentQueue<CannedResponse>());
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }

        return this;
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => [.. _requests.Where(r => r.Path == path)];

    /// <summary>Completes when the server has received its <paramref name="count"/>-th request.</summary>
    public Task WaitForRequestAsync(int count) =>
        _arrivals.GetOrAdd(count, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = request.Path.Value ?? "/";
        _requests.Enqueue(new RecordedRequest(request.Method, path, request.QueryString.Value ?? "", headers, body));
        var number = Interlocked.Increment(ref _count);
        _arrivals.GetOrAdd(number, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        if (!_responses.TryGetValue(path, out var queue) || !queue.TryDequeue(out var canned))
        {
            canned = CannedResponse.Text(599, $"no canned response for {path}");
        }

        if (canned.Hang)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
            return;
        }

        var response = context.Response;
        response.StatusCode = canned.Status;
        foreach (var (name, value) in canned.Headers)
        {
            response.Headers[name] = value;
        }

        if (canned.Body is { } text)
        {
            response.ContentType = canned.ContentType;
            await response.WriteAsync(text, context.RequestAborted);
        }
    }
}
