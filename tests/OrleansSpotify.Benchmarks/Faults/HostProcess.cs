using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>What every start of the Host shares: the built Host, its HTTP port, data directory and settings.</summary>
public sealed record HostLaunch(string HostDll, int HttpPort, string RunDirectory, IReadOnlyDictionary<string, string> Settings)
{
    public Uri BaseUri => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>The Host built with this benchmark (see the project file), or null when it is not there.</summary>
    public static string? BuiltHost()
    {
        var path = typeof(HostLaunch).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OrleansSpotifyHost")?.Value;
        return path is not null && File.Exists(path) ? Path.GetFullPath(path) : null;
    }

}

/// <summary>
/// The real Host as a child process: <c>dotnet OrleansSpotify.Host.dll --urls http://127.0.0.1:PORT</c>, so the
/// process is the Host itself (no <c>dotnet run</c> wrapper) and <see cref="Kill"/> is a SIGKILL of the Host. Its
/// output goes to <c>host-N.log</c> in the run directory; it is ready once ASP.NET Core logs "Application started"
/// (after the silo and Kestrel have started).
/// </summary>
public sealed partial class HostProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly Func<double> _realNow;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, string logPath, Func<double> realNow, int generation)
    {
        _process = process;
        _realNow = realNow;
        LogPath = logPath;
        Generation = generation;
        _log = new StreamWriter(logPath) { AutoFlush = true };
    }

    public int Generation { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the Host; <paramref name="realNow"/> timestamps its log lines.</summary>
    public static HostProcess Start(HostLaunch launch, int generation, Func<double> realNow)
    {
        var info = new ProcessStartInfo(DotnetPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = launch.RunDirectory,
        };
        info.ArgumentList.Add(launch.HostDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(launch.BaseUri.GetLeftPart(UriPartial.Authority));

        // Only this run's settings: nothing of the caller's ASP.NET Core or OrleansSpotify environment leaks in.
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                || key.Contains("__", StringComparison.Ordinal))
            {
                info.Environment.Remove(key);
            }
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Orleans__SiloPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture);
        info.Environment["Orleans__GatewayPort"] = TestPorts.Free().ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in launch.Settings)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(process, Path.Combine(launch.RunDirectory, $"host-{generation}.log"), realNow, generation);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until the Host logs that it started; throws when it exits first or takes longer than <paramref name="bound"/>.</summary>
    public async Task WaitReadyAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        var exited = _process.WaitForExitAsync(cancellationToken);
        Task first;
        try
        {
            first = await Task.WhenAny(_ready.Task, exited).WaitAsync(bound, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"The Host (pid {ProcessId}) was not ready after {bound.TotalSeconds:N0} s; see {LogPath}.");
        }

        if (first != _ready.Task)
        {
            throw new InvalidOperationException($"The Host exited with code {_process.ExitCode} before it was ready; see {LogPath}.");
        }
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux): no shutdown code runs.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>A graceful stop (SIGTERM); a Host that has not exited after <paramref name="bound"/> is killed. True when it stopped by itself.</summary>
    public async Task<bool> StopAsync(TimeSpan bound)
    {
        if (_process.HasExited)
        {
            return true;
        }

        if (SendSignal(_process.Id, SigTerm) != 0)
        {
            Kill();
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(bound);
            return true;
        }
        catch (TimeoutException)
        {
            Kill();
            await _process.WaitForExitAsync();
            return false;
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.WriteLine($"[{_realNow():F3}] {line}");
        }

        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>The <c>dotnet</c> muxer of the runtime this process runs on (…/dotnet/shared/Microsoft.NETCore.App/x.y.z/).</summary>
    internal static string DotnetPath()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = runtime is null ? null : Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var muxer = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return muxer is not null && File.Exists(muxer) ? muxer : "dotnet";
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
