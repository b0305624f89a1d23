using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Benchmarks.Reporting;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Import;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace OrleansSpotify.Benchmarks.Import;

/// <summary>
/// Rows/s of imported rows stored through <see cref="PlayImporter"/> (the storage grain's import path without the
/// grain call) in batches of 5,000, against <see cref="BareInsertBaseline"/> over the same batches, each on a fresh
/// SQLite file; plus the commit time of one batch (what a live poll may wait behind) and a re-import of the same
/// rows (every row a duplicate). Producing the rows is not timed.
/// </summary>
public static class ImportStoreBenchmark
{
    public const string Name = "import-store";

    public const string Usage = """
        import-store: stores generated extended-history rows through PlayImporter vs a bare batched INSERT
          --rows N          rows to import (default 1,000,000; --quick: 100,000)
          --batch N         rows per transaction (default 5,000, the import job's batch)
          --tracks N        catalogue size (default 50,000)
          --repetitions N   timed repetitions after a warm-up (default 3; --quick: 1)
          --seed N          generator seed (default 10)
        """;

    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        int rows = 1_000_000, batch = 5_000, tracks = 50_000, repetitions = 3, seed = 10;
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                switch (args[i])
                {
                    case "--quick": rows = 100_000; repetitions = 1; break;
                    case "--rows": rows = OptionArguments.Positive("--rows", OptionArguments.Value(args, ref i)); break;
                    case "--batch": batch = OptionArguments.Positive("--batch", OptionArguments.Value(args, ref i)); break;
                    case "--tracks": tracks = OptionArguments.Positive("--tracks", OptionArguments.Value(args, ref i)); break;
                    case "--repetitions": repetitions = OptionArguments.Positive("--repetitions", OptionArguments.Value(args, ref i)); break;
                    case "--seed": seed = OptionArguments.Positive("--seed", OptionArguments.Value(args, ref i)); break;
                    default: throw new ArgumentException($"Unknown option '{args[i]}'.");
                }
            }
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message);
            Console.Error.WriteLine(Usage);
            return Task.FromResult(2);
        }

        using var root = TempDirectory.CreateRoot();
        output.WriteLine($"Benchmark: {Name}");
        MachineInfo.Print(output);
        output.WriteLine($"Workload: {rows:N0} extended-history rows (2% episodes, 10% skips, details on every row), {tracks:N0} tracks; batches of {batch:N0}; seed {seed}");
        output.WriteLine($"Runs:     a warm-up of {Math.Min(rows, 50_000):N0} rows each, then {repetitions} repetitions in alternating order, each on a fresh SQLite file under {root.Path}");
        output.WriteLine();

        IEnumerable<ImportedPlay[]> Batches(int count) => ImportRows.Generate(count, tracks, seed).Chunk(batch);
        RunImporter(Batches(Math.Min(rows, 50_000)), root);
        RunBaseline(Batches(Math.Min(rows, 50_000)), root);

        var importer = new List<ImporterRun>();
        var baseline = new List<TimeSpan>();
        for (var repetition = 1; repetition <= repetitions; repetition++)
        {
            if (repetition % 2 == 1)
            {
                importer.Add(RunImporter(Batches(rows), root));
                baseline.Add(RunBaseline(Batches(rows), root));
            }
            else
            {
                baseline.Add(RunBaseline(Batches(rows), root));
                importer.Add(RunImporter(Batches(rows), root));
            }

            output.WriteLine($"  repetition {repetition}: importer {rows / importer[^1].Import.TotalSeconds:N0} rows/s, bare insert {rows / baseline[^1].TotalSeconds:N0} rows/s, re-import {rows / importer[^1].Reimport.TotalSeconds:N0} rows/s");
        }

        var importRate = rows / Samples.Median(importer.Select(r => r.Import.TotalSeconds));
        var bareRate = rows / Samples.Median(baseline.Select(b => b.TotalSeconds));
        var reimportRate = rows / Samples.Median(importer.Select(r => r.Reimport.TotalSeconds));
        var commits = importer.SelectMany(r => r.BatchMs).Order().ToArray();
        output.WriteLine();
        var table = new ResultTable("Run (median)", "Rows", "Rows/s", "Ratio to bare");
        table.Add("PlayImporter (new rows)", ResultTable.Number(rows), ResultTable.Number(importRate), ResultTable.Number(importRate / bareRate, 2));
        table.Add("PlayImporter (re-import: duplicates)", ResultTable.Number(rows), ResultTable.Number(reimportRate), ResultTable.Number(reimportRate / bareRate, 2));
        table.Add("Bare batched INSERT (floor)", ResultTable.Number(rows), ResultTable.Number(bareRate), "1.00");
        table.Write(output);
        output.WriteLine();
        output.WriteLine($"Commit time of one {batch:N0}-row import batch (new rows): median {Percentile(commits, 0.5):N1} ms, p95 {Percentile(commits, 0.95):N1} ms, max {commits[^1]:N1} ms over {commits.Length} batches");
        output.WriteLine($"Load:     {MachineInfo.LoadAverage()}");
        return Task.FromResult(0);
    }

    private sealed record ImporterRun(TimeSpan Import, TimeSpan Reimport, List<double> BatchMs);

    private static ImporterRun RunImporter(IEnumerable<ImportedPlay[]> batches, TempDirectory root)
    {
        using var directory = TempDirectory.Create(root);
        var database = new SqliteDatabase(MsOptions.Create(new StorageOptions { DataDirectory = directory.Path }), NullLogger<SqliteDatabase>.Instance);
        database.Initialize();
        var now = DateTimeOffset.UtcNow;
        new AccountStore(database).Upsert("bench", "bench", "Bench", now, now);
        using var writer = new PlayWriter(database);
        using var importer = new PlayImporter(writer);
        var all = new List<ImportedPlay[]>();
        var batchMs = new List<double>();
        var total = TimeSpan.Zero;
        foreach (var batch in batches)
        {
            var started = Stopwatch.GetTimestamp();
            importer.Import("bench", ImportFormat.ExtendedHistory, batch);
            var elapsed = Stopwatch.GetElapsedTime(started);
            total += elapsed;
            batchMs.Add(elapsed.TotalMilliseconds);
            all.Add(batch);
        }

        var reimport = TimeSpan.Zero;
        foreach (var batch in all)
        {
            var started = Stopwatch.GetTimestamp();
            var result = importer.Import("bench", ImportFormat.ExtendedHistory, batch);
            reimport += Stopwatch.GetElapsedTime(started);
            if (result.Imported + result.Merged > 0)
            {
                throw new InvalidOperationException($"A re-import stored {result.Imported + result.Merged} rows again.");
            }
        }

        return new ImporterRun(total, reimport, batchMs);
    }

    private static TimeSpan RunBaseline(IEnumerable<ImportedPlay[]> batches, TempDirectory root)
    {
        using var directory = TempDirectory.Create(root);
        var database = new SqliteDatabase(MsOptions.Create(new StorageOptions { DataDirectory = directory.Path }), NullLogger<SqliteDatabase>.Instance);
        using var connection = database.Open();
        return BareInsertBaseline.Run(connection, batches);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
