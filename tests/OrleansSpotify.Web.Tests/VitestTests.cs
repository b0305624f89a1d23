using System.Diagnostics;
using System.Text.Json;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// Runs the dashboard's Vitest suite once (`npx vitest run` in src/OrleansSpotify.Web, whose node_modules the Host's
/// build installed) with the JSON reporter, so the README's single test command runs the component tests too. A fixture
/// of <see cref="VitestTests"/> alone: whatever happens to the Vitest run fails those tests, never the browser tests
/// beside them. The limit is a bound against a hung run, not a measure of speed (a loaded 2-core machine is slow).
/// </summary>
public sealed class VitestRun : IAsyncLifetime
{
    private static readonly TimeSpan HungAfter = TimeSpan.FromMinutes(30);

    private string? _output;

    public JsonDocument? Report { get; private set; }

    public string Log { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _output = Path.Combine(Path.GetTempPath(), $"orleans-spotify-vitest-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo("npx", ["--no-install", "vitest", "run", "--reporter=json", $"--outputFile={_output}"])
        {
            WorkingDirectory = Repository.WebProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CI"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("npx could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(HungAfter);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Log = $"Vitest had not finished after {HungAfter.TotalMinutes} minutes and was stopped.\n";
        }

        Log += await stdout + await stderr;
        if (File.Exists(_output))
        {
            Report = JsonDocument.Parse(await File.ReadAllTextAsync(_output));
        }
    }

    public ValueTask DisposeAsync()
    {
        Report?.Dispose();
        if (_output is not null && File.Exists(_output))
        {
            File.Delete(_output);
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class VitestTests(VitestRun run) : IClassFixture<VitestRun>
{
    /// <summary>Every *.test.ts(x) file of the web project, found when the tests are discovered.</summary>
    public static TheoryData<string> TestFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repository.WebProject, "*.test.*", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                     .Where(f => f.EndsWith(".ts", StringComparison.Ordinal) || f.EndsWith(".tsx", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repository.WebProject, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TestFiles))]
    public void EveryComponentTestInTheFilePasses(string file)
    {
        Assert.True(run.Report is not null, "Vitest wrote no report:\n" + run.Log);
        var result = run.Report!.RootElement.GetProperty("testResults").EnumerateArray()
            .SingleOrDefault(r => r.GetProperty("name").GetString()!.Replace('\\', '/').EndsWith("/" + file, StringComparison.Ordinal));
        Assert.True(result.ValueKind == JsonValueKind.Object, $"Vitest did not run {file}:\n{run.Log}");

        var tests = result.GetProperty("assertionResults").EnumerateArray().ToList();
        Assert.NotEmpty(tests);
        var failed = tests.Where(t => t.GetProperty("status").GetString() != "passed").ToList();
        Assert.True(
            failed.Count == 0 && result.GetProperty("status").GetString() == "passed",
            $"{file}: {failed.Count} of {tests.Count} failed\n" + string.Join(
                "\n",
                failed.Select(t => $"- {t.GetProperty("fullName").GetString()}: {string.Join("\n", t.GetProperty("failureMessages").EnumerateArray().Select(m => m.GetString()))}"))
            + (result.TryGetProperty("message", out var message) ? "\n" + message.GetString() : ""));
    }

    [Fact]
    public void TheSuiteRanAndEveryTestPassed()
    {
        Assert.True(run.Report is not null, "Vitest wrote no report:\n" + run.Log);
        var root = run.Report!.RootElement;
        Assert.True(root.GetProperty("numTotalTests").GetInt32() >= 20, "Expected the component suite, found only " + root.GetProperty("numTotalTests").GetInt32());
        Assert.Equal(0, root.GetProperty("numFailedTests").GetInt32());
        Assert.Equal(0, root.GetProperty("numFailedTestSuites").GetInt32());
    }
}
