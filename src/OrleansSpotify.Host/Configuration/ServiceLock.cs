using Microsoft.Extensions.Options;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host;

/// <summary>
/// The data directory's owner: an exclusive handle on <c>{DataDirectory}/service.lock</c> (<see cref="FileShare.None"/>,
/// an advisory lock the operating system drops with the process, so a crash leaves nothing to clean up). The service
/// takes it at start-up and holds it until it stops; the <c>import</c> command takes the same lock, so the two never
/// write the same database at once, and a second service on the same directory fails at start-up with a clear message.
/// </summary>
public sealed class ServiceLock : IDisposable
{
    public const string FileName = "service.lock";

    private readonly FileStream _handle;

    private ServiceLock(FileStream handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock of <paramref name="dataDirectory"/> (created owner-only when missing); null when another process or handle holds it.</summary>
    public static ServiceLock? TryAcquire(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var directory = System.IO.Path.GetFullPath(dataDirectory);
        PrivateFiles.EnsureDirectory(directory);
        var path = System.IO.Path.Combine(directory, FileName);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new ServiceLock(new FileStream(path, options), path);
        }
        catch (IOException)
        {
            // Held: on Unix the lock is flock(LOCK_EX | LOCK_NB), refused as a sharing violation.
            return null;
        }
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>
/// Holds the service's <see cref="ServiceLock"/> from start-up (the first hosted service, before the silo opens the
/// database) until the host has stopped. A data directory already held refuses the start with a message saying so.
/// </summary>
internal sealed class ServiceLockHolder(IOptions<StorageOptions> storage) : IHostedService, IDisposable
{
    private ServiceLock? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = storage.Value.DataDirectory;
        _lock = ServiceLock.TryAcquire(directory)
            ?? throw new InvalidOperationException(
                $"Another OrleansSpotify service or import command is using the data directory '{System.IO.Path.GetFullPath(directory)}' " +
                $"(it holds {ServiceLock.FileName}). Stop it first, or give this service its own Storage__DataDirectory.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Hosted services stop in reverse order: by now the silo and everything else that writes has stopped.
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }
}

public static class ServiceLockExtensions
{
    /// <summary>Takes the data directory's <see cref="ServiceLock"/> before anything else starts: the first hosted service, whenever this is called.</summary>
    public static WebApplicationBuilder AddServiceLock(this WebApplicationBuilder builder)
    {
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ServiceLockHolder>());
        return builder;
    }
}
