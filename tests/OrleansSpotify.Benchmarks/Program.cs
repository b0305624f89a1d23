using System.Globalization;
using OrleansSpotify.Benchmarks.Storage;

namespace OrleansSpotify.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/OrleansSpotify.Benchmarks -- [benchmark] [options]</c>;
/// the first argument names the benchmark (default <c>storage</c>), the rest are its options.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, Func<IReadOnlyList<string>, TextWriter, Task<int>>> Benchmarks = new(StringComparer.OrdinalIgnoreCase)
    {
        [StorageBenchmark.Name] = StorageBenchmark.RunAsync,
        [Stats.StatsBenchmark.Name] = Stats.StatsBenchmark.RunAsync,
        [Faults.FaultsBenchmark.Name] = Faults.FaultsBenchmark.RunAsync,
        [Import.ParseBenchmark.Name] = Import.ParseBenchmark.RunAsync,
        [Import.ImportStoreBenchmark.Name] = Import.ImportStoreBenchmark.RunAsync,
        [Import.ImportEndToEndBenchmark.Name] = Import.ImportEndToEndBenchmark.RunAsync,
        [Simulation.SimulationBenchmark.Name] = Simulation.SimulationBenchmark.RunAsync,
    };

    public static async Task<int> Main(string[] args)
    {
        // One number format in every table, whatever the machine's locale.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        if (args is ["--help" or "-h" or "help", ..])
        {
            PrintUsage(Console.Out);
            return 0;
        }

        var name = args is [var first, ..] && !first.StartsWith('-') ? first : StorageBenchmark.Name;
        var options = args is [var head, .. var rest] && head == name ? rest : args;
        if (!Benchmarks.TryGetValue(name, out var run))
        {
            await Console.Error.WriteLineAsync($"Unknown benchmark '{name}'.");
            PrintUsage(Console.Error);
            return 2;
        }

        try
        {
            return await run(options, Console.Out);
        }
        catch (Exception exception)
        {
            // E.g. plays that were not stored, or a TimeoutException from a grain call: a request never completed
            // within Orleans' response timeout. Report it with its stack rather than abort the process.
            await Console.Error.WriteLineAsync($"Benchmark '{name}' failed: {exception}");
            return 1;
        }
    }

    private static void PrintUsage(TextWriter output)
    {
        output.WriteLine("Usage: dotnet run -c Release --project tests/OrleansSpotify.Benchmarks -- [benchmark] [options]");
        output.WriteLine($"Benchmarks (default {StorageBenchmark.Name}):");
        output.WriteLine();
        output.WriteLine(StorageBenchmarkOptions.Usage);
        output.WriteLine($"{Environment.NewLine}{Stats.StatsBenchmarkOptions.Usage}");
        output.WriteLine($"{Environment.NewLine}{Faults.FaultsBenchmarkOptions.Usage}");
        output.WriteLine($"{Environment.NewLine}{Import.ParseBenchmark.Usage}");
        output.WriteLine($"{Environment.NewLine}{Import.ImportStoreBenchmark.Usage}");
        output.WriteLine($"{Environment.NewLine}{Import.ImportEndToEndBenchmark.Usage}");
        output.WriteLine($"{Environment.NewLine}{Simulation.SimulationBenchmark.Usage}");
    }
}
