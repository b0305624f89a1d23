using System.Diagnostics;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The Host as its own process (<c>dotnet OrleansSpotify.Host.dll</c>), started as a user would with environment
/// variables and arguments, in an empty working directory, with its own data directory and silo ports. Its console
/// output is kept; <see cref="ListeningOn"/> completes with the first address Kestrel reports.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    /// <summary>Variables a test's environment might carry that would decide the ports; cleared unless a test sets them.</summary>
    private static readonly string[] PortVariables = ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "URLS", "Urls", "HTTP_PORTS", "HTTPS_PORTS"];

    private readonly Process _process;
    private readonly string _directory;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public Task<Uri> ListeningOn => _listening.Task;

    public string Output => string.Join('\n', _output);

    public static HostProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleans-spotify-host-process", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrleansSpotify.Host.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in PortVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["Spotify__ClientId"] = "port-test-client";
        start.Environment["Storage__DataDirectory"] = Path.Combine(directory, "data");
        start.Environment["Orleans__SiloPort"] = TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Orleans__GatewayPort"] = TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new HostProcess(process, directory);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Exited += (_, _) => host._listening.TrySetException(new InvalidOperationException("The Host exited before listening:\n" + host.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        const string marker = "Now listening on: ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            _listening.TrySetResult(new Uri(line[(at + marker.Length)..].Trim()));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
