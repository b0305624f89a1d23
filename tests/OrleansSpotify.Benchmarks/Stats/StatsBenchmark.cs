using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Benchmarks.Reporting;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Benchmarks.Stats;

/// <summary>
/// Stats answered by the stats grains over a generated household history, cold (fresh grain activations) and warm
/// (cached), for the ranges <c>all</c> and <c>1y</c>, each beside the time of one full scan of the plays table
/// (<c>SELECT sum(ms_played) FROM plays</c>) on the same database in the same run. It reports against the goals and
/// exits 0 whether or not they are met.
/// </summary>
public static class StatsBenchmark
{
    public const string Name = "stats";

    /// <summary>Cold all-time answers: at most this many full scans ...</summary>
    public const double ColdScanRatioGoal = 1.0;

    /// <summary>... and at most this many milliseconds.</summary>
    public const double ColdMsGoal = 150;

    /// <summary>Every warm answer: at most this many milliseconds.</summary>
    public const double WarmMsGoal = 2;

    /// <summary>The database for a million plays: at most this many bytes (150 MB, MB = 10^6 bytes).</summary>
    public const long DatabaseBytesGoal = 150_000_000;

    private const string FirstCall = "first call";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        StatsBenchmarkOptions options;
        try
        {
            options = StatsBenchmarkOptions.Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(StatsBenchmarkOptions.Usage);
            return 2;
        }

        output.WriteLine($"Benchmark: {Name}{(options.Quick ? " (quick)" : "")}");
        MachineInfo.Print(output);
        output.WriteLine();

        using var database = StatsDatabase.Prepare(options, output);
        var facts = database.Facts();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        var accounts = new AccountStore(database.Database).List();
        var subjects = AccountSubjects(accounts);
        var members = accounts.Where(a => a.ShareStats).Select(a => a.AccountKey).ToList();
        var (questions, oneYear, reviewYear) = Questions(facts, subjects, zone);
        WriteWorkload(output, options, database, facts, accounts, subjects, oneYear, reviewYear);

        var scansBefore = database.FullScans(options.Scans);
        output.WriteLine($"Baseline full scan before: {Format(scansBefore.Times)} ms");

        var stopwatch = Stopwatch.StartNew();
        await WarmUpAsync(database, questions, members, zone, options.WarmupRounds);
        output.WriteLine($"Warm-up: JIT in process, then {options.WarmupRounds} round(s) of every question on a throw-away silo ({stopwatch.Elapsed.TotalSeconds:N1} s)");

        await using var cluster = await StatsCluster.StartAsync(database.Options);
        stopwatch.Restart();
        var measured = await MeasureAsync(cluster, database, questions, members, options);
        output.WriteLine($"Measured {questions.Count} questions x ({options.ColdRepetitions} cold + {options.WarmRepetitions} warm) through the cluster client in {stopwatch.Elapsed.TotalSeconds:N1} s");

        stopwatch.Restart();
        var breakdown = StatsBreakdown.Measure(database.Database, questions, subjects.ToDictionary(s => s.Subject, s => s.Account.AccountKey), members, measured.Answers, cluster.Serializer, zone, options.ColdRepetitions);
        output.WriteLine($"Breakdown measured in process in {stopwatch.Elapsed.TotalSeconds:N1} s");

        var scansAfter = database.FullScans(options.Scans);
        output.WriteLine($"Baseline full scan after:  {Format(scansAfter.Times)} ms");
        var scans = scansBefore.Times.Concat(measured.Scans).Concat(scansAfter.Times).Select(t => t.TotalMilliseconds).ToList();
        var scanMs = Samples.Median(scans);
        output.WriteLine();

        output.WriteLine($"Baseline: SELECT sum(ms_played) FROM plays = {ResultTable.Number(scanMs, 1)} ms: median of {scans.Count} scans on an open connection "
            + $"({options.Scans} before, one before each question's cold calls, {options.Scans} after; p10-p90 {ResultTable.Number(Percentile(scans, 0.1), 1)}-{ResultTable.Number(Percentile(scans, 0.9), 1)} ms; "
            + $"the sum, {scansBefore.SumMs:N0} ms, is the same in every run of the same workload)");
        WriteResults(output, options, questions, measured, scanMs, breakdown);
        WriteBreakdown(output, questions, measured, breakdown);
        WriteGoals(output, questions, measured, scanMs, facts);
        output.WriteLine($"Load at the end: {MachineInfo.LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// The JIT warm-up in process, then every question (cold, then warm) on a throw-away silo, so the measured silo
    /// runs optimized code and the process's connection pools are open.
    /// </summary>
    private static async Task WarmUpAsync(StatsDatabase database, List<StatsQuestion> questions, List<string> members, TimeZoneInfo zone, int rounds)
    {
        await using var warmup = await StatsCluster.StartAsync(database.Options);
        StatsBreakdown.WarmUpJit(database.Database, questions, members, warmup.Serializer, zone);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var question in questions)
            {
                await warmup.DeactivateAsync(StatsGrains(warmup.Client, members));
                for (var i = 0; i < 3; i++)
                {
                    await question.AskAsync(warmup.Client);
                }
            }
        }
    }

    /// <summary>The first call on the fresh silo, then every question cold and warm, with one baseline scan before each.</summary>
    private static async Task<Measured> MeasureAsync(StatsCluster cluster, StatsDatabase database, List<StatsQuestion> questions, List<string> members, StatsBenchmarkOptions options)
    {
        var grains = StatsGrains(cluster.Client, members).ToList();

        // Connect the client and activate one stats grain without asking a stat (the catalogue stays unloaded), so
        // the first measured call pays for the cold caches, not for the client's first message.
        await cluster.Client.GetGrain<IAccountStatsGrain>(questions[0].Key).GetCachedAnswerCountAsync();
        await cluster.DeactivateAsync(grains);
        Settle();
        var measured = new Measured(await TimeAsync(() => questions[0].AskAsync(cluster.Client)));

        // The genre catalogue is another silo singleton, loaded by the first genres answer: load it now, so that the
        // genres answers below are cold like the others (its own load is timed in the breakdown).
        cluster.SiloServices.GetRequiredService<GenreCatalog>().Current();

        foreach (var question in questions)
        {
            // One baseline scan per question, so the baseline sees the same machine load as the grain calls.
            measured.Scans.AddRange(database.FullScans(1, warmUp: false).Times);
            var cold = new List<ColdCall>();
            for (var i = 0; i < options.ColdRepetitions; i++)
            {
                await cluster.DeactivateAsync(grains);
                Settle();
                var (pause, allocated) = (GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
                var ms = await TimeAsync(() => question.AskAsync(cluster.Client));
                cold.Add(new ColdCall(ms, (GC.GetTotalPauseDuration() - pause).TotalMilliseconds, (GC.GetTotalAllocatedBytes() - allocated) / 1e6));
            }

            var warm = new List<double>();
            for (var i = 0; i < options.WarmRepetitions; i++)
            {
                warm.Add(await TimeAsync(() => question.AskAsync(cluster.Client)));
            }

            measured.Cold[question] = cold;
            measured.Warm[question] = warm;
            measured.Answers[question] = await question.AskAsync(cluster.Client);
        }

        return measured;
    }

    /// <summary>A typical account (the median by plays) and the busiest one; one account is both when there is only one.</summary>
    private static List<(string Subject, StoredAccount Account)> AccountSubjects(IReadOnlyList<StoredAccount> accounts)
    {
        var byPlays = accounts.OrderByDescending(a => a.PlayCount).ThenBy(a => a.AccountKey, StringComparer.Ordinal).ToList();
        if (byPlays.Count == 0)
        {
            throw new InvalidOperationException("The database has no accounts.");
        }

        var typical = byPlays[byPlays.Count / 2];
        return typical == byPlays[0] ? [("busiest", byPlays[0])] : [("typical", typical), ("busiest", byPlays[0])];
    }

    /// <summary>
    /// Every endpoint for <c>all</c> and <c>1y</c>: the 365 local days before the day after the last play (as the web
    /// host resolves range=1y on that day). The year review asks for the last full year.
    /// </summary>
    private static (List<StatsQuestion> Questions, StatsRequest OneYear, int ReviewYear) Questions(
        DatabaseFacts facts, List<(string Subject, StoredAccount Account)> subjects, TimeZoneInfo zone)
    {
        var clock = new LocalClock(zone);
        var end = clock.Date(facts.LastPlay.ToUnixTimeMilliseconds()).AddDays(1);
        var all = new StatsRequest(null, null, zone.Id);
        var oneYear = new StatsRequest(clock.StartOf(end.AddDays(-365)), clock.StartOf(end), zone.Id);
        var reviewYear = end.Year - 1;
        var questions = new List<StatsQuestion>();
        foreach (var endpoint in StatsEndpoint.All(reviewYear))
        {
            var askedOf = endpoint.Scope == StatsScope.Household ? [("household", "")] : subjects.Select(s => (s.Subject, s.Account.AccountKey));
            foreach (var (subject, key) in askedOf)
            {
                questions.Add(new StatsQuestion(subject, key, endpoint, "all", all));
                questions.Add(new StatsQuestion(subject, key, endpoint, "1y", oneYear));
            }
        }

        // Grouped by subject, so the table reads account by account.
        return ([.. questions.OrderBy(q => q.Endpoint.Scope).ThenBy(q => q.Subject == "busiest")], oneYear, reviewYear);
    }

    private static IEnumerable<IAddressable> StatsGrains(IGrainFactory grains, IEnumerable<string> members) =>
        members.Select(key => (IAddressable)grains.GetGrain<IAccountStatsGrain>(key))
            .Append(grains.GetGrain<IHouseholdStatsGrain>(Constants.HouseholdKey));

    private static async Task<double> TimeAsync(Func<Task<object>> ask)
    {
        var started = Stopwatch.GetTimestamp();
        await ask();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Leaves the previous call's garbage out of the next cold one.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void WriteWorkload(
        TextWriter output,
        StatsBenchmarkOptions options,
        StatsDatabase database,
        DatabaseFacts facts,
        IReadOnlyList<StoredAccount> accounts,
        List<(string Subject, StoredAccount Account)> subjects,
        StatsRequest oneYear,
        int reviewYear)
    {
        if (database.Generation is { } g)
        {
            output.WriteLine($"Generated: {g.Plays:N0} plays in {g.Generate.TotalSeconds:N1} s, written through PlayWriter.Write in {g.Transactions:N0} batches of {g.BatchSize} "
                + $"in {g.Write.TotalSeconds:N1} s ({g.Plays / g.Write.TotalSeconds:N0} plays/s), "
                + (g.ImportLast ? "polled plays first, imported history last (--import-last)" : "in time order across the accounts"));
        }

        output.WriteLine($"Database: {database.Options.DatabasePath}");
        output.WriteLine($"  {facts.Plays:N0} plays from {facts.FirstPlay:yyyy-MM-dd} to {facts.LastPlay:yyyy-MM-dd HH:mm} UTC, {facts.ReportedPlays:N0} ({100.0 * facts.ReportedPlays / Math.Max(1, facts.Plays):N1}%) with reported ms_played "
            + $"(imported history), the rest estimated (recently-played); {facts.LogChunks:N0} play-log chunks");
        output.WriteLine($"  catalogue as stored (played tracks only): {facts.Tracks:N0} tracks, {facts.Artists:N0} artists, {facts.Albums:N0} albums, {facts.Contexts:N0} contexts "
            + $"(generated: {options.Tracks:N0} tracks, {options.Artists:N0} artists, Zipf popularity); {facts.ArtistsWithGenres:N0} artists with genres");
        output.WriteLine($"  file {Megabytes(facts.FileBytes)} MB after wal_checkpoint(TRUNCATE), {Megabytes(facts.FreeBytes)} MB of it free pages"
            + (facts.Objects.Count == 0 ? "" : "; by object: " + string.Join(", ", facts.Objects.Take(8).Select(o => $"{o.Name} {Megabytes(o.Bytes)}"))));
        output.WriteLine("  accounts: " + string.Join(", ", accounts.OrderByDescending(a => a.PlayCount).Select(a =>
        {
            var subject = subjects.Where(s => s.Account.AccountKey == a.AccountKey).Select(s => s.Subject).FirstOrDefault();
            return $"{a.AccountKey} {a.PlayCount:N0}{(subject is null ? "" : $" ({subject})")}";
        })));
        output.WriteLine($"Requests: zone {options.TimeZone}, limit 10, by plays, timeline by day; all = no bounds; 1y = [{oneYear.From:yyyy-MM-dd}, {oneYear.To:yyyy-MM-dd}); "
            + $"year-review {reviewYear} (the last full year); streaks' calendar year is the request's (1y) or this year's (all)");
        output.WriteLine();
    }

    private static void WriteResults(
        TextWriter output,
        StatsBenchmarkOptions options,
        List<StatsQuestion> questions,
        Measured measured,
        double scanMs,
        StatsBreakdown breakdown)
    {
        output.WriteLine($"Cold: median of {options.ColdRepetitions} calls, each to a fresh activation (every stats grain deactivated and gone before it): the grain's play log(s) "
            + "and answer cache are empty; the silo's singletons CatalogCache and GenreCatalog, SQLite's connection pool and the OS page cache are warm.");
        output.WriteLine($"      '{FirstCall}': the very first stats call on a fresh silo, CatalogCache cold as well.");
        output.WriteLine($"Warm: median of {options.WarmRepetitions} repeats of the same question (answer cache hit). All times are taken by the cluster client around the grain call.");
        output.WriteLine();

        var table = new ResultTable("Answer", "Cold ms", "x scan", "Cold min-max", "Warm ms", "x scan", "Warm p90", "Payload KB");
        var first = questions[0];
        table.Add($"{FirstCall}: {first.Label}", ResultTable.Number(measured.FirstCallMs, 1), ResultTable.Number(measured.FirstCallMs / scanMs, 2), "", "", "", "", Kilobytes(breakdown.Answers[first].PayloadBytes));
        foreach (var question in questions)
        {
            var c = measured.Cold[question].Select(call => call.Ms).ToList();
            var w = measured.Warm[question];
            var coldMs = Samples.Median(c);
            var warmMs = Samples.Median(w);
            table.Add(
                question.Label,
                ResultTable.Number(coldMs, 1),
                ResultTable.Number(coldMs / scanMs, 2),
                $"{ResultTable.Number(c.Min(), 1)}-{ResultTable.Number(c.Max(), 1)}",
                ResultTable.Number(warmMs, 2),
                ResultTable.Number(warmMs / scanMs, 3),
                ResultTable.Number(Percentile(w, 0.9), 2),
                Kilobytes(breakdown.Answers[question].PayloadBytes));
        }

        table.Write(output);
        output.WriteLine();
    }

    private static void WriteBreakdown(
        TextWriter output,
        List<StatsQuestion> questions,
        Measured measured,
        StatsBreakdown breakdown)
    {
        output.WriteLine("Where the cold time goes (each part timed alone, in process, on the same database; medians):");
        output.WriteLine($"  catalogue snapshot of a fresh CatalogCache ({breakdown.CatalogTracks:N0} tracks): {ResultTable.Number(breakdown.CatalogColdMs, 1)} ms, once per silo; "
            + $"a fresh GenreCatalog ({breakdown.ArtistsWithGenres:N0} artists with genres): {ResultTable.Number(breakdown.GenresColdMs, 1)} ms, once per silo and after new genres");
        output.WriteLine("  play log load (PlayLogReader.Load): " + string.Join(", ", breakdown.LoadMs.Select(l => $"{l.Key} {ResultTable.Number(l.Value, 1)} ms"))
            + $" (household: every member's log side by side, as the grain loads them; one after another {ResultTable.Number(breakdown.SerialHouseholdLoadMs, 1)} ms)");
        output.WriteLine($"  name lookup of 10 tracks (CatalogCache.Tracks): {ResultTable.Number(breakdown.LookupMs, 2)} ms");
        output.WriteLine("  Engine = the StatsEngine calls the grain makes (lookups included); Wire = serialize + deserialize the answer once; Rest = cold - load - engine - wire");
        output.WriteLine("  (activation, the grain call and its two hops, the catalogue's max-track check, GC; negative when the machine's load shifted between the timings).");
        output.WriteLine("  GC pause and Alloc: during the cold calls themselves (process-wide: client, silo and grain share the process; medians).");
        output.WriteLine();

        var table = new ResultTable("Answer", "Cold ms", "Load ms", "Engine ms", "Wire ms", "Rest ms", "GC pause ms", "Alloc MB");
        foreach (var question in questions)
        {
            var cold = measured.Cold[question];
            var coldMs = Samples.Median(cold.Select(c => c.Ms));
            var load = breakdown.LoadMs[question.Subject];
            var cost = breakdown.Answers[question];
            table.Add(
                question.Label,
                ResultTable.Number(coldMs, 1),
                ResultTable.Number(load, 1),
                ResultTable.Number(cost.EngineMs, 1),
                ResultTable.Number(cost.WireMs, 2),
                ResultTable.Number(coldMs - load - cost.EngineMs - cost.WireMs, 1),
                ResultTable.Number(Samples.Median(cold.Select(c => c.GcPauseMs)), 1),
                ResultTable.Number(Samples.Median(cold.Select(c => c.AllocatedMb)), 1));
        }

        table.Write(output);
        output.WriteLine();
    }

    private static void WriteGoals(
        TextWriter output,
        List<StatsQuestion> questions,
        Measured measured,
        double scanMs,
        DatabaseFacts facts)
    {
        var coldAllTime = questions.Where(q => q.IsAllTime)
            .Select(q => (Label: q.Label, Ms: Samples.Median(measured.Cold[q].Select(c => c.Ms))))
            .Append((Label: $"{FirstCall}: {questions[0].Label}", Ms: measured.FirstCallMs))
            .ToList();
        var worstCold = coldAllTime.MaxBy(c => c.Ms);
        var warmAll = questions.Select(q => (q.Label, Ms: Samples.Median(measured.Warm[q]))).ToList();
        var worstWarm = warmAll.MaxBy(w => w.Ms);

        output.WriteLine("Goals (medians):");
        var table = new ResultTable("Goal", "Result", "Worst", "Misses", "Worst answer");
        table.Add(
            $"every cold all-time answer <= {ColdScanRatioGoal:0.0}x the full scan",
            Verdict(worstCold.Ms <= ColdScanRatioGoal * scanMs),
            $"{ResultTable.Number(worstCold.Ms / scanMs, 2)}x",
            $"{coldAllTime.Count(c => c.Ms > ColdScanRatioGoal * scanMs)}/{coldAllTime.Count}",
            worstCold.Label.Trim());
        table.Add(
            $"every cold all-time answer <= {ColdMsGoal:0} ms",
            Verdict(worstCold.Ms <= ColdMsGoal),
            $"{ResultTable.Number(worstCold.Ms, 1)} ms",
            $"{coldAllTime.Count(c => c.Ms > ColdMsGoal)}/{coldAllTime.Count}",
            worstCold.Label.Trim());
        table.Add(
            $"every warm answer <= {WarmMsGoal:0} ms",
            Verdict(worstWarm.Ms <= WarmMsGoal),
            $"{ResultTable.Number(worstWarm.Ms, 2)} ms",
            $"{warmAll.Count(w => w.Ms > WarmMsGoal)}/{warmAll.Count}",
            worstWarm.Label.Trim());
        table.Add(
            $"database <= {DatabaseBytesGoal / 1_000_000} MB for the million plays",
            Verdict(facts.FileBytes * (1_000_000.0 / Math.Max(1, facts.Plays)) <= DatabaseBytesGoal),
            $"{Megabytes(facts.FileBytes)} MB",
            "",
            facts.Plays == 1_000_000 ? $"{facts.Plays:N0} plays" : $"{facts.Plays:N0} plays: {Megabytes((long)(facts.FileBytes * (1_000_000.0 / Math.Max(1, facts.Plays))))} MB scaled to 1,000,000");
        table.Write(output);
        output.WriteLine();
    }

    private static string Verdict(bool pass) => pass ? "PASS" : "MISS";

    private static string Format(IReadOnlyList<TimeSpan> times) =>
        $"median {ResultTable.Number(Samples.Median(times.Select(t => t.TotalMilliseconds)), 1)} (" + string.Join(", ", times.Select(t => ResultTable.Number(t.TotalMilliseconds, 1))) + ")";

    private static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }

    private static string Megabytes(long bytes) => ResultTable.Number(bytes / 1_000_000.0, 1);

    private static string Kilobytes(int bytes) => ResultTable.Number(bytes / 1_000.0, 1);

    /// <summary>One cold call: its time, and the GC pauses and allocations of the process meanwhile.</summary>
    private readonly record struct ColdCall(double Ms, double GcPauseMs, double AllocatedMb);

    /// <summary>Everything the grain runs measured.</summary>
    private sealed class Measured(double firstCallMs)
    {
        /// <summary>The very first stats call on the fresh silo (CatalogCache cold too).</summary>
        public double FirstCallMs { get; } = firstCallMs;

        public Dictionary<StatsQuestion, List<ColdCall>> Cold { get; } = [];

        public Dictionary<StatsQuestion, List<double>> Warm { get; } = [];

        /// <summary>One answer per question, as the grain returned it (for its payload).</summary>
        public Dictionary<StatsQuestion, object> Answers { get; } = [];

        /// <summary>The baseline scans taken between the questions.</summary>
        public List<TimeSpan> Scans { get; } = [];
    }
}
