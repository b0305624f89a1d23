using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Benchmarks.Faults;
using OrleansSpotify.Benchmarks.Reporting;
using OrleansSpotify.Import;
using OrleansSpotify.Import.OwnFormat;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Import;
using OrleansSpotify.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace OrleansSpotify.Benchmarks.Import;

/// <summary>
/// The whole import of one generated extended-history file, against its two floors. Each repetition runs three phases on
/// the same file:
/// <list type="number">
/// <item>End to end, in a child process of this benchmark (so that its peak working set is the import's alone):
/// <see cref="ImportSource.OpenPathsAsync"/> → <see cref="ImportReaders"/> → batches of 5,000 rows →
/// <see cref="PlayImporter.Import"/> into a fresh database made by <see cref="SqliteDatabase"/>, as the import job does
/// (without the grain call). A warm-up import of a smaller file into another database runs first in the same child.</item>
/// <item>Parse only (<see cref="ParseOnly.RunAsync"/>): the reading half alone.</item>
/// <item>The bare batched INSERT (<see cref="BareInsertBaseline"/>) of the same rows (parsing them is not timed): the floor
/// of the storing half.</item>
/// </list>
/// </summary>
public static class ImportEndToEndBenchmark
{
    public const string Name = "import-e2e";

    public const string Usage = """
        import-e2e [--rows N] [--repetitions N] [--seed N] [--smoke]
          End-to-end import of a generated extended streaming history file (default 1,000,000 rows, 3 repetitions):
          ImportSource -> ImportReaders -> 5,000-row batches -> PlayImporter into a fresh SQLite database, in a child
          process (its peak working set is the import's), against parse-only and a bare batched INSERT of the same rows.
          --smoke: 20,000 rows, 1 repetition (seconds).
        """;

    private const string PhaseOption = "--import-phase";
    private const string PhaseLine = "import-phase:";
    private const int BatchSize = 5_000;

    private static readonly DateTimeOffset Start = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        if (args is [PhaseOption, var phaseFile, var phaseWarmup, var phaseFolder])
        {
            return await RunImportPhaseAsync(phaseFile, phaseWarmup, phaseFolder, output);
        }

        int rows = 1_000_000, seed = 10, repetitions = 3;
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                switch (args[i])
                {
                    case "--rows": rows = OptionArguments.Positive("--rows", OptionArguments.Value(args, ref i)); break;
                    case "--repetitions": repetitions = OptionArguments.Positive("--repetitions", OptionArguments.Value(args, ref i)); break;
                    case "--seed": seed = OptionArguments.Positive("--seed", OptionArguments.Value(args, ref i)); break;
                    case "--smoke": rows = 20_000; repetitions = 1; break;
                    default: throw new ArgumentException($"Unknown option '{args[i]}'.");
                }
            }
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        using var root = TempDirectory.CreateRoot();
        output.WriteLine($"Benchmark: {Name}");
        MachineInfo.Print(output);
        var file = Path.Combine(root.Path, "Streaming_History_Audio_2015-2025_0.json");
        var warmup = Path.Combine(root.Path, "Streaming_History_Audio_2015_warmup.json");
        var stopwatch = Stopwatch.StartNew();
        var bytes = new ExportGenerator(seed).WriteExtendedFile(file, rows, Start);
        var generation = stopwatch.Elapsed;
        var warmupRows = Math.Clamp(rows / 10, 1, 100_000);
        new ExportGenerator(seed + 1).WriteExtendedFile(warmup, warmupRows, Start);
        output.WriteLine($"Workload: {rows:N0} extended-history rows (ExportGenerator, seed {seed}: 2,000 tracks, ~5% podcast episodes, duplicates, rows without names, local files), "
            + $"{bytes / 1048576.0:N1} MB, generated in {generation.TotalSeconds:N1} s; batches of {BatchSize:N0}");
        output.WriteLine($"Runs:     {repetitions} repetition(s) of: end-to-end import in a child process (after a warm-up import of {warmupRows:N0} rows), "
            + "parse only (after two warm-up passes), bare batched INSERT (after a warm-up); each database a fresh file under " + root.Path);
        output.WriteLine();

        var readers = Readers();
        await ParseOnly.RunAsync([warmup]);
        await ParseOnly.RunAsync([warmup]);
        RunBare(warmup, readers, root);

        var imports = new List<PhaseResult>();
        var parses = new List<ParseOnlyResult>();
        var bares = new List<TimeSpan>();
        var parseCpu = new List<TimeSpan>();
        for (var repetition = 1; repetition <= repetitions; repetition++)
        {
            using (var databases = TempDirectory.Create(root))
            {
                imports.Add(await RunChildAsync(file, warmup, databases.Path));
            }

            var cpuBefore = ProcessorTime();
            var parse = await ParseOnly.RunAsync([file]);
            parseCpu.Add(ProcessorTime() - cpuBefore);
            if (parse.Rows != rows)
            {
                throw new InvalidOperationException($"Parse-only read {parse.Rows:N0} rows of {rows:N0}.");
            }

            parses.Add(parse);
            bares.Add(RunBare(file, readers, root));
            var import = imports[^1];
            output.WriteLine($"  repetition {repetition}: one after another {rows / import.Elapsed.TotalSeconds:N0} rows/s ({import.Elapsed.TotalSeconds:N2} s, CPU {import.Cpu.TotalSeconds:N2} s, GC pauses {import.Gc.Pause.TotalSeconds:N2} s in {import.Gc.Gen0}/{import.Gc.Gen1}/{import.Gc.Gen2} gen0/1/2 collections, peak {import.PeakWorkingSet / 1048576.0:N0} MB; as the job runs it (next batch read ahead) {rows / import.Prefetched.TotalSeconds:N0} rows/s), "
                + $"parse only {parse.RowsPerSecond:N0} rows/s ({parse.Elapsed.TotalSeconds:N2} s, CPU {parseCpu[^1].TotalSeconds:N2} s), bare insert {rows / bares[^1].TotalSeconds:N0} rows/s ({bares[^1].TotalSeconds:N2} s)");
        }

        var last = imports[^1];
        if (last.Rows != rows || last.Imported + last.Merged + last.Duplicates + last.Skipped != rows)
        {
            throw new InvalidOperationException($"The import read {last.Rows:N0} rows of {rows:N0} and accounted for {last.Imported + last.Merged + last.Duplicates + last.Skipped:N0}.");
        }

        // The import job reads the next batch while the storage grain stores one (a bounded channel of two batches):
        // that is the end-to-end figure the aims apply to; one after another is shown beside it.
        var e2eSeconds = Samples.Median(imports.Select(i => i.Prefetched.TotalSeconds));
        var sequentialSeconds = Samples.Median(imports.Select(i => i.Elapsed.TotalSeconds));
        var parseSeconds = Samples.Median(parses.Select(p => p.Elapsed.TotalSeconds));
        var bareSeconds = Samples.Median(bares.Select(b => b.TotalSeconds));
        var sequentialCpu = Samples.Median(imports.Select(i => i.Cpu.TotalSeconds));
        var parseCpuSeconds = Samples.Median(parseCpu.Select(c => c.TotalSeconds));
        var e2eRate = rows / e2eSeconds;
        var bareRate = rows / bareSeconds;
        var peak = imports.Max(i => i.PeakWorkingSet) / 1048576.0;

        output.WriteLine();
        output.WriteLine($"Imported {last.Imported:N0} plays, merged {last.Merged:N0}, duplicates {last.Duplicates:N0}, skipped {last.Skipped:N0}; database and WAL {last.DatabaseBytes / 1048576.0:N1} MB");
        output.WriteLine();
        var table = new ResultTable($"Measure (median of {repetitions})", "Value", "Aim", "Verdict");
        table.Add("Parse only, rows/s", ResultTable.Number(rows / parseSeconds), "", "");
        table.Add("Bare batched INSERT (floor), rows/s", ResultTable.Number(bareRate), "", "");
        table.Add("End-to-end import as the job runs it (next batch read while one is stored), rows/s", ResultTable.Number(e2eRate), ">= 150,000", Verdict(e2eRate >= 150_000));
        table.Add("  reading and storing one after another, rows/s", ResultTable.Number(rows / sequentialSeconds), "", "");
        table.Add("Ratio end-to-end / bare (rows/s)", ResultTable.Number(e2eRate / bareRate, 2), ">= 0.50", Verdict(e2eRate / bareRate >= 0.5));
        table.Add("Ratio end-to-end time / parse time", ResultTable.Number(e2eSeconds / parseSeconds, 2), "<= 2.00", Verdict(e2eSeconds / parseSeconds <= 2));
        table.Add("  one after another, in CPU time (all threads; less load-sensitive)", ResultTable.Number(sequentialCpu / parseCpuSeconds, 2), "", "");
        table.Add("Peak working set of the import process (both imports), MB", ResultTable.Number(peak), "<= 300", Verdict(peak <= 300));
        table.Write(output);
        output.WriteLine();
        output.WriteLine($"Load:     {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private readonly record struct GcCost(TimeSpan Pause, long Gen0, long Gen1, long Gen2);

    private sealed record PhaseResult(long Rows, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan Prefetched, GcCost Gc, long PeakWorkingSet, int Imported, int Merged, int Duplicates, int Skipped, long DatabaseBytes);

    private static ImportReaders Readers()
    {
        var limits = MsOptions.Create(new ImportLimits());
        return new ImportReaders([new ExtendedHistoryReader(limits), new AccountDataReader(limits), new OrleansSpotifyExportReader()]);
    }

    /// <summary>Starts this benchmark again as <c>import-e2e --import-phase FILE WARMUP FOLDER</c> and reads its one result line.</summary>
    private static async Task<PhaseResult> RunChildAsync(string file, string warmup, string folder)
    {
        var info = new ProcessStartInfo(HostProcess.DotnetPath())
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(ImportEndToEndBenchmark).Assembly.Location, Name, PhaseOption, file, warmup, folder })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the import phase.");
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(PhaseLine, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"The import phase exited with {process.ExitCode}: {stdout}");
        }

        var values = line[PhaseLine.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new PhaseResult(values["rows"], TimeSpan.FromTicks(values["ticks"]), TimeSpan.FromTicks(values["cpu"]), TimeSpan.FromTicks(values["prefetched"]),
            new GcCost(TimeSpan.FromTicks(values["pause"]), values["gen0"], values["gen1"], values["gen2"]), values["peak"], (int)values["imported"], (int)values["merged"],
            (int)values["duplicates"], (int)values["skipped"], values["bytes"]);
    }

    /// <summary>The child: a warm-up import, then the measured one; prints one line of key=value pairs.</summary>
    private static async Task<int> RunImportPhaseAsync(string file, string warmup, string folder, TextWriter output)
    {
        var readers = Readers();
        await ImportAsync(warmup, Path.Combine(folder, "warmup"), readers, prefetch: false);
        var (result, elapsed, cpu, gc, rows, databaseBytes) = await ImportAsync(file, Path.Combine(folder, "measured"), readers, prefetch: false);
        var prefetched = await ImportAsync(file, Path.Combine(folder, "prefetched"), readers, prefetch: true);
        if (prefetched.Rows != rows || prefetched.Result.Imported != result.Imported)
        {
            throw new InvalidOperationException("The import with a batch read ahead stored other plays.");
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{PhaseLine} rows={rows} ticks={elapsed.Ticks} cpu={cpu.Ticks} prefetched={prefetched.Elapsed.Ticks} pause={gc.Pause.Ticks} gen0={gc.Gen0} gen1={gc.Gen1} gen2={gc.Gen2} peak={process.PeakWorkingSet64} imported={result.Imported} merged={result.Merged} duplicates={result.Duplicates} skipped={result.Skipped.Values.Sum()} bytes={databaseBytes}"));
        return 0;
    }

    /// <summary>One import as the job runs it, into a fresh database in <paramref name="dataDirectory"/>; only the import is timed.</summary>
    private static async Task<(ImportBatchResult Result, TimeSpan Elapsed, TimeSpan Cpu, GcCost Gc, long Rows, long DatabaseBytes)> ImportAsync(string file, string dataDirectory, ImportReaders readers, bool prefetch)
    {
        var database = new SqliteDatabase(MsOptions.Create(new StorageOptions { DataDirectory = dataDirectory }), NullLogger<SqliteDatabase>.Instance);
        database.Initialize();
        var now = DateTimeOffset.UtcNow;
        new AccountStore(database).Upsert("bench", "bench", "Bench", now, now);
        using var writer = new PlayWriter(database);
        using var importer = new PlayImporter(writer);

        var limits = new ImportLimits();
        int imported = 0, merged = 0, duplicates = 0;
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        long rows = 0;
        var cpuBefore = ProcessorTime();
        var pauseBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var started = Stopwatch.GetTimestamp();
        await using (var source = await ImportSource.OpenPathsAsync([file], limits, CancellationToken.None))
        {
            if (prefetch)
            {
                // One batch read ahead: the reading of the next batch overlaps the storing of this one.
                var batches = Channel.CreateBounded<(ImmutableArray<ImportedPlay> Rows, ImportFormat Format)>(1);
                var reading = Task.Run(async () =>
                {
                    try
                    {
                        foreach (var importFile in source.Files)
                        {
                            var batch = ImmutableArray.CreateBuilder<ImportedPlay>(BatchSize);
                            await foreach (var play in readers.ReadAsync(importFile, CancellationToken.None))
                            {
                                batch.Add(play);
                                Interlocked.Increment(ref rows);
                                if (batch.Count == BatchSize)
                                {
                                    await batches.Writer.WriteAsync((batch.DrainToImmutable(), importFile.Format));
                                }
                            }

                            await batches.Writer.WriteAsync((batch.DrainToImmutable(), importFile.Format));
                        }
                    }
                    finally
                    {
                        batches.Writer.Complete();
                    }
                });
                await foreach (var (batchRows, format) in batches.Reader.ReadAllAsync())
                {
                    Store(batchRows, format);
                }

                await reading;
            }
            else
            {
                foreach (var importFile in source.Files)
                {
                    var batch = ImmutableArray.CreateBuilder<ImportedPlay>(BatchSize);
                    await foreach (var play in readers.ReadAsync(importFile, CancellationToken.None))
                    {
                        batch.Add(play);
                        rows++;
                        if (batch.Count == BatchSize)
                        {
                            Store(batch.DrainToImmutable(), importFile.Format);
                        }
                    }

                    Store(batch.DrainToImmutable(), importFile.Format);
                }
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = ProcessorTime() - cpuBefore;
        var gc = new GcCost(GC.GetTotalPauseDuration() - pauseBefore, GC.CollectionCount(0) - collectionsBefore.Item1, GC.CollectionCount(1) - collectionsBefore.Item2, GC.CollectionCount(2) - collectionsBefore.Item3);
        var bytes = new[] { "", "-wal" }.Select(suffix => new FileInfo(database.DatabasePath + suffix)).Where(f => f.Exists).Sum(f => f.Length);
        return (new ImportBatchResult(imported, merged, duplicates, skipped.ToImmutableDictionary()), elapsed, cpu, gc, rows, bytes);

        void Store(ImmutableArray<ImportedPlay> batchRows, ImportFormat format)
        {
            if (batchRows.IsEmpty)
            {
                return;
            }

            var result = importer.Import("bench", format, batchRows);
            imported += result.Imported;
            merged += result.Merged;
            duplicates += result.Duplicates;
            foreach (var (reason, count) in result.Skipped)
            {
                skipped[reason] = skipped.GetValueOrDefault(reason) + count;
            }
        }
    }

    /// <summary>The floor: the file's rows (parsed untimed) inserted by <see cref="BareInsertBaseline"/> into a fresh database.</summary>
    private static TimeSpan RunBare(string file, ImportReaders readers, TempDirectory root)
    {
        using var directory = TempDirectory.Create(root);
        var database = new SqliteDatabase(MsOptions.Create(new StorageOptions { DataDirectory = directory.Path }), NullLogger<SqliteDatabase>.Instance);
        using var connection = database.Open();
        using var stream = File.OpenRead(file);
        var rows = readers.ReadAsync(stream, Path.GetFileName(file), ImportFormat.ExtendedHistory, CancellationToken.None).ToBlockingEnumerable();
        return BareInsertBaseline.Run(connection, rows.Chunk(BatchSize));
    }
}
