using System.Diagnostics;
using OrleansSpotify.Benchmarks.Reporting;
using OrleansSpotify.Import;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Benchmarks.Import;

/// <summary>
/// The parse-only pass of the import: a generated extended-history file (1,000,000 rows by default) read row by row
/// through <see cref="ParseOnly.RunAsync"/> — recognition, the streaming reader, every row materialised and dropped.
/// The import benchmark divides its end-to-end rows/s by this figure.
/// </summary>
public static class ParseBenchmark
{
    public const string Name = "parse";

    public const string Usage = """
        parse [--rows N] [--seed N] [--repetitions N] [--quick]
          Parse-only pass over a generated extended streaming history file (one JSON array; default 1,000,000 rows,
          3 repetitions after two warm-up passes over a tenth of it). --quick: 100,000 rows.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int rows = 1_000_000, seed = 10, repetitions = 3;
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                switch (args[i])
                {
                    case "--rows":
                        rows = OptionArguments.Positive("--rows", OptionArguments.Value(args, ref i));
                        break;
                    case "--seed":
                        seed = OptionArguments.Positive("--seed", OptionArguments.Value(args, ref i));
                        break;
                    case "--repetitions":
                        repetitions = OptionArguments.Positive("--repetitions", OptionArguments.Value(args, ref i));
                        break;
                    case "--quick":
                        rows = 100_000;
                        break;
                    default:
                        throw new ArgumentException($"Unknown option '{args[i]}'.");
                }
            }
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var folder = Path.Combine(Path.GetTempPath(), "orleans-spotify-benchmarks", "parse-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            output.WriteLine($"Benchmark: {Name}");
            MachineInfo.Print(output);
            var start = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var file = Path.Combine(folder, "Streaming_History_Audio_2015-2025_0.json");
            var warmup = Path.Combine(folder, "Streaming_History_Audio_2015_warmup.json");
            var stopwatch = Stopwatch.StartNew();
            var bytes = new ExportGenerator(seed).WriteExtendedFile(file, rows, start);
            var generation = stopwatch.Elapsed;
            new ExportGenerator(seed + 1).WriteExtendedFile(warmup, Math.Max(1, rows / 10), start);
            output.WriteLine($"Workload: {rows:N0} rows, {bytes / 1048576.0:N1} MB ({bytes / (double)rows:N0} bytes a row), generated in {generation.TotalSeconds:N2} s "
                + $"({rows / generation.TotalSeconds:N0} rows/s); seed {seed}");
            output.WriteLine();

            // Tiered compilation promotes the reader's loop only after it ran a while: two warm-up passes.
            await ParseOnly.RunAsync([warmup]);
            await ParseOnly.RunAsync([warmup]);
            var results = new List<ParseOnlyResult>();
            for (var repetition = 1; repetition <= repetitions; repetition++)
            {
                var result = await ParseOnly.RunAsync([file]);
                if (result.Rows != rows)
                {
                    throw new InvalidOperationException($"Read {result.Rows:N0} rows of {rows:N0}.");
                }

                results.Add(result);
                output.WriteLine($"  run {repetition}: {result.RowsPerSecond:N0} rows/s, {result.MegabytesPerSecond:N0} MB/s, {result.Elapsed.TotalSeconds:N2} s");
            }

            var median = results.OrderBy(r => r.RowsPerSecond).ElementAt(results.Count / 2);
            using var process = Process.GetCurrentProcess();
            output.WriteLine();
            output.WriteLine($"| pass | rows | rows/s (median of {results.Count}) | MB/s | peak working set |");
            output.WriteLine("|---|---:|---:|---:|---:|");
            output.WriteLine($"| parse only | {rows:N0} | {median.RowsPerSecond:N0} | {median.MegabytesPerSecond:N0} | {process.PeakWorkingSet64 / 1048576.0:N0} MB |");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
