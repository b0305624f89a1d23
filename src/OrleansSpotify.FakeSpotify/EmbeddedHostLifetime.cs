using Microsoft.Extensions.Hosting;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// The fake runs inside another process (a test run, the product's demo mode): it must not install console
/// signal handlers (Ctrl+C, SIGTERM) the way the default console lifetime does. Its owner stops it by disposing.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
