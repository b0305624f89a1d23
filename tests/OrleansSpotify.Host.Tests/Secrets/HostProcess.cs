using System.Diagnostics;

namespace OrleansSpotify.Host.Tests.Secrets;

/// <summary>The built Host (OrleansSpotify.Host.dll next to the tests) run as a process with <c>dotnet</c>, as an operator would.</summary>
internal static class HostProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrleansSpotify.Host.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(bound.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}

/// <summary>Figures the closing note quotes, appended to secrets-figures.txt next to the test assembly.</summary>
internal static class Figures
{
    private static readonly Lock Gate = new();

    public static void Write(string line)
    {
        lock (Gate)
        {
            File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "secrets-figures.txt"), $"{DateTimeOffset.UtcNow:O} {line}{Environment.NewLine}");
        }
    }
}
