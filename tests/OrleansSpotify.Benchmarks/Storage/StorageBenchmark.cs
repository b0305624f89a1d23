using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Benchmarks.Reporting;
using OrleansSpotify.Storage;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace OrleansSpotify.Benchmarks.Storage;

/// <summary>
/// Throughput of plays recorded through the <c>StorageGrain</c> (group commit behind a grain call) as a ratio to
/// a bare loop of <see cref="PlayWriter.Write"/> batches of the same size, each on a fresh SQLite file, in the same
/// process. Scenarios alternate within every repetition; the table reports medians.
/// </summary>
public static class StorageBenchmark
{
    public const string Name = "storage";
    public const double Goal = 0.5;

    private const int SingleCallerWarmupRequests = 20;

    private static readonly DateTimeOffset AccountsCreatedAt = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private enum Kind
    {
        Baseline,
        ConcurrentCallers,
        SingleCaller,
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        StorageBenchmarkOptions options;
        try
        {
            options = StorageBenchmarkOptions.Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(StorageBenchmarkOptions.Usage);
            return 2;
        }

        var workload = PlayWorkload.Generate(options.Accounts, options.Tracks, options.Plays, options.RequestSize, options.Seed);
        var scenarios = Scenarios(options, workload);
        using var root = TempDirectory.CreateRoot();

        output.WriteLine($"Benchmark: {Name}{(options.Quick ? " (quick)" : "")}");
        MachineInfo.Print(output);
        output.WriteLine($"Workload: {workload.Plays:N0} plays of {workload.AccountKeys.Count} accounts; catalogue {workload.Tracks:N0} tracks (1-3 artists each), "
            + $"{workload.Artists:N0} artists, {workload.Albums:N0} albums, {workload.Playlists:N0} playlists; requests of {options.RequestSize} plays; seed {options.Seed}");
        output.WriteLine($"Options:  StorageGrainOptions.MaxBatchSize = {options.MaxBatchSize} (baseline batches: {options.BaselineBatch}), FlushDelay = {options.FlushDelay.TotalMilliseconds:0.###} ms; "
            + $"callers in the {(options.Callers == CallerLocation.Silo ? "silo (like listener grains)" : "cluster client")}; "
            + $"{options.InFlight} in flight per concurrent caller; single caller {options.SingleCallerPlays:N0} plays");
        output.WriteLine($"Runs:     1 warm-up of {Math.Min(options.WarmupPlays, workload.Plays):N0} plays per kind of run (single caller {SingleCallerWarmupRequests} requests), then {options.Repetitions} repetitions in alternating order; "
            + "each run on a fresh SQLite file (WAL) under " + root.Path);
        output.WriteLine();

        // Tiered JIT needs tens of thousands of plays before PlayWriter runs at full speed; the single caller shares
        // that code, so a few of its requests are enough (each waits for the flush delay).
        foreach (var scenario in scenarios.DistinctBy(s => s.Kind))
        {
            var warmup = workload.Take(Math.Min(options.WarmupPlays, scenario.Kind == Kind.SingleCaller ? SingleCallerWarmupRequests * options.RequestSize : int.MaxValue));
            await RunAsync(scenario.Kind, warmup, workload, options, root);
        }

        var samples = scenarios.ToDictionary(s => s, _ => new Samples());
        for (var repetition = 1; repetition <= options.Repetitions; repetition++)
        {
            var order = repetition % 2 == 1 ? scenarios : scenarios.AsEnumerable().Reverse().ToList();
            var line = new List<string>();
            foreach (var scenario in order)
            {
                var measurement = await RunAsync(scenario.Kind, scenario.Requests, workload, options, root);
                samples[scenario].Add(measurement);
                line.Add($"{scenario.Short} {measurement.PerSecond:N0}/s");
            }

            output.WriteLine($"  repetition {repetition}/{options.Repetitions}: {string.Join(", ", line)}");
        }

        output.WriteLine();
        WriteTable(output, scenarios, samples);
        output.WriteLine($"Load at the end: {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static List<Scenario> Scenarios(StorageBenchmarkOptions options, PlayWorkload workload)
    {
        var baselineName = $"baseline: PlayWriter.Write, batches of {options.BaselineBatch}";
        var baseline = new Scenario(baselineName, "base", Kind.Baseline, workload.Requests, null);
        var concurrent = new Scenario(
            $"grain: {options.Accounts} callers x {options.InFlight} in flight x {options.RequestSize} plays",
            "grain-concurrent",
            Kind.ConcurrentCallers,
            workload.Requests,
            baseline);
        var scenarios = new List<Scenario> { baseline, concurrent };

        var singleRequests = workload.Take(options.SingleCallerPlays);
        var singleBaseline = baseline;
        if (singleRequests.Count < workload.Requests.Count)
        {
            singleBaseline = new Scenario(baselineName, "base-small", Kind.Baseline, singleRequests, null);
            scenarios.Add(singleBaseline);
        }

        scenarios.Add(new Scenario($"grain: 1 caller x 1 in flight x {options.RequestSize} plays", "grain-single", Kind.SingleCaller, singleRequests, singleBaseline));
        return scenarios;
    }

    private static void WriteTable(TextWriter output, List<Scenario> scenarios, Dictionary<Scenario, Samples> samples)
    {
        var table = new ResultTable("Scenario", "Plays", "Seconds", "Plays/s", "Plays/s min-max", "Ratio vs baseline", "Ratio min-max", "Plays/commit");
        foreach (var scenario in scenarios)
        {
            var result = samples[scenario];
            var range = $"{ResultTable.Number(result.MinPerSecond)}-{ResultTable.Number(result.MaxPerSecond)}";
            var perCommit = result.ItemsPerTransaction is { } value ? ResultTable.Number(value, 1) : "n/a";
            if (scenario.Baseline is not { } baseline)
            {
                table.Add(scenario.Name, ResultTable.Number(result.Items), ResultTable.Number(result.MedianElapsed.TotalSeconds, 3), ResultTable.Number(result.MedianPerSecond), range, "1.00", "", perCommit);
                continue;
            }

            var reference = samples[baseline];
            var ratio = result.MedianPerSecond / reference.MedianPerSecond;
            var paired = result.Measurements.Zip(reference.Measurements, (s, b) => s.PerSecond / b.PerSecond).ToArray();
            table.Add(
                scenario.Name,
                ResultTable.Number(result.Items),
                ResultTable.Number(result.MedianElapsed.TotalSeconds, 3),
                ResultTable.Number(result.MedianPerSecond),
                range,
                ResultTable.Number(ratio, 2),
                $"{ResultTable.Number(paired.Min(), 2)}-{ResultTable.Number(paired.Max(), 2)}",
                perCommit);
        }

        table.Write(output);
        output.WriteLine();
        output.WriteLine($"Goal: aim >= {Goal:0.0} (grain plays/s divided by the bare batched insert's plays/s; medians, ratio min-max pairs each repetition's runs)");
        foreach (var scenario in scenarios.Where(s => s.Baseline is not null))
        {
            var ratio = samples[scenario].MedianPerSecond / samples[scenario.Baseline!].MedianPerSecond;
            output.WriteLine($"  {scenario.Name}: {ratio:0.000} {(ratio >= Goal ? "meets" : "is below")} the aim");
        }
    }

    private static Task<Measurement> RunAsync(Kind kind, IReadOnlyList<PlayRequest> requests, PlayWorkload workload, StorageBenchmarkOptions options, TempDirectory root) =>
        kind switch
        {
            Kind.Baseline => Task.FromResult(RunBaseline(requests, workload, options, root)),
            _ => RunGrainAsync(kind, requests, workload, options, root),
        };

    /// <summary>The bare insert: the plays in arrival order, <see cref="PlayWriter.Write"/> one batch after another.</summary>
    private static Measurement RunBaseline(IReadOnlyList<PlayRequest> requests, PlayWorkload workload, StorageBenchmarkOptions options, TempDirectory root)
    {
        using var directory = TempDirectory.Create(root);
        var database = new SqliteDatabase(MsOptions.Create(new StorageOptions { DataDirectory = directory.Path }), NullLogger<SqliteDatabase>.Instance);
        database.Initialize();
        CreateAccounts(new AccountStore(database), workload);
        var batches = requests
            .SelectMany(r => r.Plays.Select(play => new PendingPlay(r.AccountKey, play)))
            .Chunk(options.BaselineBatch)
            .ToArray();
        var expected = batches.Sum(b => b.Length);

        using var writer = new PlayWriter(database);
        Settle();
        var stopwatch = Stopwatch.StartNew();
        var stored = 0;
        foreach (var batch in batches)
        {
            foreach (var isNew in writer.Write(batch))
            {
                stored += isNew ? 1 : 0;
            }
        }

        stopwatch.Stop();
        Verify("baseline", expected, stored);
        return new Measurement(expected, stopwatch.Elapsed, batches.Length);
    }

    /// <summary>The same plays through <c>IStorageGrain.RecordPlaysAsync</c> on a freshly started silo.</summary>
    private static async Task<Measurement> RunGrainAsync(Kind kind, IReadOnlyList<PlayRequest> requests, PlayWorkload workload, StorageBenchmarkOptions options, TempDirectory root)
    {
        await using var cluster = await StorageCluster.StartAsync(TempDirectory.Create(root), options.MaxBatchSize, options.FlushDelay);
        CreateAccounts(cluster.SiloServices.GetRequiredService<AccountStore>(), workload);
        var grain = cluster.GrainFactory(options.Callers).GetGrain<IStorageGrain>(Constants.StorageGrainKey);

        // Activate the grain (it opens its writer then) outside the measurement; an empty call stores nothing.
        await grain.RecordPlaysAsync(workload.AccountKeys[0], ImmutableArray<PlayRecord>.Empty);
        var expected = requests.Sum(r => r.Plays.Length);
        var commitsBefore = cluster.Commits.Commits;

        Settle();
        var stopwatch = Stopwatch.StartNew();
        var stored = kind == Kind.SingleCaller
            ? await SingleCallerAsync(grain, requests)
            : await ConcurrentCallersAsync(grain, requests, options.InFlight);
        stopwatch.Stop();
        Verify(kind.ToString(), expected, stored);
        return new Measurement(expected, stopwatch.Elapsed, cluster.Commits.Commits - commitsBefore);
    }

    /// <summary>One caller per account, each keeping <paramref name="inFlight"/> of its requests outstanding.</summary>
    private static async Task<int> ConcurrentCallersAsync(IStorageGrain grain, IReadOnlyList<PlayRequest> requests, int inFlight)
    {
        var callers = requests
            .GroupBy(r => r.AccountKey)
            .Select(g => new RequestFeed(g.ToArray()))
            .SelectMany(feed => Enumerable.Range(0, inFlight).Select(_ => DrainAsync(grain, feed)))
            .ToArray();
        var stored = await Task.WhenAll(callers);
        return stored.Sum();
    }

    private static async Task<int> DrainAsync(IStorageGrain grain, RequestFeed feed)
    {
        var stored = 0;
        while (feed.TryTake(out var request))
        {
            stored += await grain.RecordPlaysAsync(request.AccountKey, request.Plays);
        }

        return stored;
    }

    /// <summary>One caller, one request at a time, like a single listener (or an import) feeding the grain.</summary>
    private static async Task<int> SingleCallerAsync(IStorageGrain grain, IReadOnlyList<PlayRequest> requests)
    {
        var stored = 0;
        foreach (var request in requests)
        {
            stored += await grain.RecordPlaysAsync(request.AccountKey, request.Plays);
        }

        return stored;
    }

    private static void CreateAccounts(AccountStore accounts, PlayWorkload workload)
    {
        foreach (var key in workload.AccountKeys)
        {
            accounts.Upsert(key, key, key, AccountsCreatedAt, AccountsCreatedAt);
        }
    }

    private static void Verify(string what, int expected, int stored)
    {
        if (stored != expected)
        {
            throw new InvalidOperationException($"{what}: {expected:N0} plays were sent but {stored:N0} were stored as new.");
        }
    }

    /// <summary>Leaves the previous run's garbage out of this one.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private sealed record Scenario(string Name, string Short, Kind Kind, IReadOnlyList<PlayRequest> Requests, Scenario? Baseline);

    /// <summary>An account's requests, taken in order by however many of its callers are in flight.</summary>
    private sealed class RequestFeed(PlayRequest[] requests)
    {
        private int _next = -1;

        public bool TryTake(out PlayRequest request)
        {
            var index = Interlocked.Increment(ref _next);
            if (index >= requests.Length)
            {
                request = null!;
                return false;
            }

            request = requests[index];
            return true;
        }
    }
}
