using System.Diagnostics;
using System.Globalization;
using OrleansSpotify.Benchmarks.Reporting;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>
/// The fault run: the real Host, as a child process, records a scripted household day from the fake Spotify on a
/// compressed clock while the fake serves 5xx bursts, a 429 storm, QUOTA_EXCEEDED, timeouts, malformed JSON,
/// spurious 401s and invalid_grant for one account, and the Host is killed with SIGKILL twice while plays are on
/// their way to the database. It prints the faults served, plays expected / stored / lost / duplicated and the
/// requests sent inside a Retry-After window, and exits 1 unless lost, duplicated and inside-window are all 0.
/// </summary>
public static class FaultsBenchmark
{
    public const string Name = "faults";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        FaultsBenchmarkOptions options;
        try
        {
            options = FaultsBenchmarkOptions.Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(FaultsBenchmarkOptions.Usage);
            return 2;
        }

        var hostDll = options.HostPath ?? HostLaunch.BuiltHost();
        if (hostDll is null || !File.Exists(hostDll))
        {
            await Console.Error.WriteLineAsync($"The Host is not built ({hostDll ?? "OrleansSpotify.Host.dll"}): build tests/OrleansSpotify.Benchmarks (it builds the Host) or pass --host PATH.");
            return 2;
        }

        var total = Stopwatch.StartNew();
        output.WriteLine($"Benchmark: {Name}{(options.Smoke ? " (smoke)" : "")}");
        MachineInfo.Print(output);
        output.WriteLine($"Host:     {hostDll}");
        output.WriteLine($"Day:      {options.Hours} scripted hours (seed {options.Seed}) at {options.Speed}x: {options.RealSpan.TotalSeconds:N0} s of real time; Retry-After capped at {options.MaxRetryAfter.TotalSeconds:N0} s");
        output.WriteLine();

        var root = TempDirectory.CreateRoot();
        var keep = options.Keep;
        var runDirectory = TempDirectory.Create(root).Path;
        try
        {
            using var cancellation = new CancellationTokenSource(options.RealSpan * 3 + TimeSpan.FromMinutes(5));
            await using var run = await FaultRun.StartAsync(options, hostDll, runDirectory, output, cancellation.Token);
            WriteSettings(output, run.Settings);
            output.WriteLine($"The Host started in {run.FirstStart.TotalSeconds:N1} s; {string.Join(", ", run.Users.Select(u => u.Id))} signed in through /auth/login -> the fake's /authorize -> /auth/callback.");
            output.WriteLine();

            await run.RunAsync(cancellation.Token);
            output.WriteLine();

            var passed = Report(output, run, options);
            output.WriteLine();
            output.WriteLine($"Duration: {total.Elapsed.TotalSeconds:N1} s (load {MachineInfo.LoadAverage()})");
            if (!passed || keep)
            {
                keep = true;
                output.WriteLine($"Run folder kept (database, host-N.log): {runDirectory}");
            }

            output.WriteLine(passed ? "PASS" : "FAIL");
            return passed ? 0 : 1;
        }
        catch
        {
            keep = true;
            output.WriteLine($"Run folder kept (database, host-N.log): {runDirectory}");
            throw;
        }
        finally
        {
            if (!keep)
            {
                root.Dispose();
            }
        }
    }

    private static void WriteSettings(TextWriter output, HostSettings settings)
    {
        output.WriteLine("The Host's settings, scaled to the clock (default / speed, with a floor):");
        var table = new ResultTable("Setting", "Value", "Default");
        foreach (var (key, value, fallback) in settings.Values)
        {
            table.Add(key, Seconds(value), Seconds(fallback));
        }

        table.Write(output);
        output.WriteLine();
    }

    /// <summary>Prints the tables; true when nothing was lost or duplicated and no request went inside a window.</summary>
    private static bool Report(TextWriter output, FaultRun run, FaultsBenchmarkOptions options)
    {
        var requests = run.Ledger.Snapshot();
        run.Tally.CountServed(requests);
        output.WriteLine($"Faults injected ({run.Tally.TotalServed} served in {requests.Count:N0} requests to the fake):");
        var faults = new ResultTable("Fault", "Scheduled", "Served");
        foreach (var kind in Enum.GetValues<FaultKind>())
        {
            var scheduled = kind == FaultKind.RateLimited ? $"{run.Tally.Scheduled(kind)} window" : run.Tally.Scheduled(kind).ToString(CultureInfo.InvariantCulture);
            faults.Add(FaultTally.Describe(kind), scheduled, run.Tally.Served(kind).ToString(CultureInfo.InvariantCulture));
        }

        faults.Write(output);
        output.WriteLine();

        var plays = PlayFigures(output, run);
        output.WriteLine();
        var windows = WindowFigures(output, run, requests);
        output.WriteLine();

        foreach (var (kill, down) in run.Kills)
        {
            output.WriteLine(kill.Forced
                ? $"SIGKILL at {kill.FakeAt:HH:mm} (forced: no new plays came); back in {down.TotalSeconds:N1} s"
                : $"SIGKILL at {kill.FakeAt:HH:mm}, right after recently-played gave {kill.UserId} {kill.NewPlays.Count} new play(s) ({kill.StoredBeforeKill?.ToString(CultureInfo.InvariantCulture) ?? "?"} stored when it died); back in {down.TotalSeconds:N1} s");
        }

        var revokedKey = run.AccountKeys[FaultRun.RevokedUserId];
        var revokedStatus = run.FinalAccounts.FirstOrDefault(a => a.Id == revokedKey)?.Status ?? "unknown";
        output.WriteLine($"{FaultRun.RevokedUserId} after invalid_grant: {revokedStatus} (expected needs-reauth); drained in {run.Drain.TotalSeconds:N1} s; Host stopped {(run.StoppedGracefully ? "gracefully" : "by SIGKILL after SIGTERM timed out")}");

        var failures = new List<string>();
        if (plays.Lost > 0)
        {
            failures.Add($"{plays.Lost} play(s) lost");
        }

        if (plays.Duplicated > 0)
        {
            failures.Add($"{plays.Duplicated} play(s) duplicated");
        }

        if (plays.LogMissing > 0)
        {
            failures.Add($"{plays.LogMissing} play(s) missing from the packed play log");
        }

        if (windows.InsideRetryAfter > 0 || windows.InsidePause > 0)
        {
            failures.Add($"{windows.InsideRetryAfter + windows.InsidePause} request(s) inside a rate-limit window");
        }

        if (run.Kills.Count != 2)
        {
            failures.Add($"{run.Kills.Count} of 2 kills happened");
        }

        if (revokedStatus != "needs-reauth")
        {
            failures.Add($"{FaultRun.RevokedUserId} is {revokedStatus}, not needs-reauth");
        }

        foreach (var failure in failures)
        {
            output.WriteLine("FAILED: " + failure);
        }

        return failures.Count == 0;
    }

    private static (int Lost, int Duplicated, long LogMissing) PlayFigures(TextWriter output, FaultRun run)
    {
        var stored = StoredPlays.Read(run.DatabasePath);
        var table = new ResultTable("Account", "Expected", "Stored", "Lost", "Duplicated", "Log records", "Status");
        int totalExpected = 0, totalStored = 0, totalLost = 0, totalDuplicated = 0;
        long totalLog = 0, logMissing = 0;
        foreach (var user in run.Users)
        {
            var key = run.AccountKeys[user.Id];
            var expected = run.ExpectedPlays(user)
                .Select(p => (p.EndedAt.ToUnixTimeMilliseconds(), ((FakeTrack)p.Item).Uri))
                .ToHashSet();
            var rows = stored.Plays.GetValueOrDefault(key) ?? [];
            var matched = rows.Count(expected.Contains);
            var log = stored.LogRecords.GetValueOrDefault(key);
            var lost = expected.Count - matched;
            var duplicated = rows.Count - matched + (int)Math.Max(0, log - rows.Count);
            logMissing += Math.Max(0, rows.Count - log);
            var status = run.FinalAccounts.FirstOrDefault(a => a.Id == key)?.Status ?? "?";
            var name = user.Id == FaultRun.RevokedUserId ? user.Id + " (to revocation)" : user.Id;
            table.Add(name, N(expected.Count), N(rows.Count), N(lost), N(duplicated), N(log), status);
            totalExpected += expected.Count;
            totalStored += rows.Count;
            totalLost += lost;
            totalDuplicated += duplicated;
            totalLog += log;
        }

        table.Add("Total", N(totalExpected), N(totalStored), N(totalLost), N(totalDuplicated), N(totalLog), "");
        output.WriteLine("Plays: expected = what the fake's recently-played lists (tracks played >= 30 s, no local files, episodes or");
        output.WriteLine("private sessions); stored = rows of the plays table, read from the database file after the Host stopped;");
        output.WriteLine("duplicated = rows beyond the expected ones plus packed-log records beyond the rows:");
        table.Write(output);
        var revoked = run.Users.Single(u => u.Id == FaultRun.RevokedUserId);
        var after = revoked.VisibleHistory(DateTimeOffset.MaxValue).Count - run.ExpectedPlays(revoked).Count;
        output.WriteLine($"({revoked.Id} played {after} more after the revocation at {run.RevokedAt:HH:mm}; the Host cannot read those without a new sign-in.)");
        return (totalLost, totalDuplicated, logMissing);
    }

    private static (int InsideRetryAfter, int InsidePause) WindowFigures(TextWriter output, FaultRun run, IReadOnlyList<LoggedRequest> requests)
    {
        var grace = FaultRun.InFlightGrace.TotalSeconds;
        var api = requests.Where(r => r.IsWebApi).ToList();
        var windows = api.Where(r => r.Request.StatusCode == 429).Select(r =>
        {
            var quota = r.Request.Fault == FakeFault.QuotaExceeded429;
            var header = r.Request.RetryAfter;
            var hostWait = header ?? (quota ? run.Settings.QuotaExceededPause : run.Settings.DefaultRetryAfter);
            if (quota && hostWait < run.Settings.QuotaExceededPause)
            {
                hostWait = run.Settings.QuotaExceededPause;
            }

            return new Window(r, r.AnsweredAt + grace, header is { } h ? r.ArrivedAt + h.TotalSeconds : null, r.ArrivedAt + hostWait.TotalSeconds);
        }).ToList();

        var insideRetryAfter = new List<(LoggedRequest Request, Window Window)>();
        var insidePause = new List<(LoggedRequest Request, Window Window)>();
        var inFlight = 0;
        foreach (var request in api)
        {
            var others = windows.Where(w => !ReferenceEquals(w.Source, request)).ToList();
            if (others.FirstOrDefault(w => request.ArrivedAt >= w.OpenedAt && request.ArrivedAt < w.RetryAfterEnd) is { } window)
            {
                insideRetryAfter.Add((request, window));
            }
            else if (others.FirstOrDefault(w => request.ArrivedAt >= w.OpenedAt && request.ArrivedAt < w.PauseEnd) is { } pause)
            {
                insidePause.Add((request, pause));
            }
            else if (others.Any(w => request.ArrivedAt > w.Source.ArrivedAt && request.ArrivedAt < w.OpenedAt))
            {
                inFlight++;
            }
        }

        var withHeader = windows.Count(w => w.RetryAfterEnd is not null);
        var table = new ResultTable("Rate limits (Web API requests, real time)", "Count");
        table.Add("429 answers with Retry-After", N(withHeader));
        table.Add("429 answers without Retry-After (the Host's own pause applies)", N(windows.Count - withHeader));
        table.Add("Requests inside a Retry-After window", N(insideRetryAfter.Count));
        table.Add("Requests inside the Host's pause for a 429 without Retry-After", N(insidePause.Count));
        table.Add($"Requests already in flight (arrived < {grace:N0} s after a 429 was answered; not counted)", N(inFlight));
        table.Write(output);
        foreach (var (request, window) in insideRetryAfter.Concat(insidePause).Take(10))
        {
            output.WriteLine($"  inside: {request.Request.Method} {request.Request.Path} ({request.Request.UserId}) at {request.ArrivedAt:F3} s, "
                + $"429 answered at {window.Source.AnsweredAt:F3} s with Retry-After {window.Source.Request.RetryAfter?.TotalSeconds.ToString(CultureInfo.InvariantCulture) ?? "none"}");
        }

        return (insideRetryAfter.Count, insidePause.Count);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>A 429's window in real seconds: counted from <see cref="OpenedAt"/> (answered + grace) to its ends.</summary>
    private sealed record Window(LoggedRequest Source, double OpenedAt, double? RetryAfterEnd, double PauseEnd);
}
