using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrleansSpotify.Benchmarks.Reporting;
using OrleansSpotify.FakeSpotify;
using OrleansSpotify.Testing;

using static OrleansSpotify.Benchmarks.OptionArguments;

namespace OrleansSpotify.Benchmarks.Simulation;

/// <summary>
/// The household simulation: a generated week replayed through the fake Spotify (real HTTP on loopback) under one
/// simulated clock, through four strategies at once (each with its own fake user carrying the same scripted week):
/// ours (the production listeners in an in-process cluster), the classic script, Your Spotify and multi-scrobbler. The
/// clock moves discrete-event style: to the next due poll of any strategy or outage edge, then waits until every poll
/// due by then has finished. Prints, and writes as markdown, recall, duplicates, false plays, calls and live latency.
/// </summary>
public static class SimulationBenchmark
{
    public const string Name = "simulate";

    public const string Usage = """
        simulate [options]  A generated household week (5 members: sessions, skips, repeats, pauses, seeks, offline
                            backfills, a flight with a real gap, private sessions, local files, episodes, two outages)
                            replayed through the fake Spotify on a simulated clock by four strategies: ours (the real
                            ListenerGrains in an in-process cluster), the classic script, Your Spotify, multi-scrobbler.
                            Prints recall, duplicates, false plays, calls and live latency per strategy.

          --seed N                week seed (default 11)
          --days N                days to simulate (default 7)
          --smoke                 one day (a couple of minutes)
          --output PATH           where to write the markdown table (default simulation-results.md)
        """;

    private static readonly string[] Strategies = ["ours", "classic", "yourspotify", "multiscrobbler"];

    private static readonly string[] StrategyNames = ["Ours (ListenerGrain)", "Classic script", "Your Spotify", "multi-scrobbler"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        var seed = 11;
        var days = 7;
        var path = "simulation-results.md";
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--seed":
                    seed = Positive("--seed", Value(args, ref i));
                    break;
                case "--days":
                    days = Positive("--days", Value(args, ref i));
                    break;
                case "--smoke":
                    days = 1;
                    break;
                case "--output":
                    path = Value(args, ref i);
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown option '{args[i]}'.{Environment.NewLine}{Usage}");
                    return 2;
            }
        }

        var total = Stopwatch.StartNew();
        var week = WeekGenerator.Generate(seed, days);
        output.WriteLine(Describe(week));
        var result = await RunAsync(week, output);
        var markdown = Report(week, result, total.Elapsed);
        output.WriteLine();
        output.WriteLine(markdown);
        await File.WriteAllTextAsync(path, markdown);
        output.WriteLine($"Written to {Path.GetFullPath(path)}; {total.Elapsed.TotalSeconds:F0} s in all.");
        return 0;
    }

    public static string Describe(SimulatedWeek week)
    {
        var plays = week.Plays;
        var perMemberDay = plays.Where(p => !p.Offline).GroupBy(p => p.Member)
            .Select(g => g.Sum(p => (p.End - p.Start).TotalHours) / week.Days).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"""
            Household week: seed {week.Seed}, {week.Days:F0} day(s) from {week.Start:yyyy-MM-dd}, {week.Members.Count} members, {plays.Count} plays
              music >= 30 s {plays.Count(p => p.Kind == PlayKind.Music)}, skips {plays.Count(p => p.Kind == PlayKind.Skip)}, episodes {plays.Count(p => p.Kind == PlayKind.Episode)}, local files {plays.Count(p => p.Kind == PlayKind.Local)}, private {plays.Count(p => p.Kind == PlayKind.Private)}
              offline {plays.Count(p => p.Offline)} (backfilled later), lost in real gaps {plays.Count(p => p.LostInGap)} in {week.Gaps.Count} gap(s), unreachable by any API {plays.Count(p => p.Unreachable)}
              pauses {plays.Count(p => p.Script.Pauses.Count > 0)}, seeks {plays.Count(p => p.Script.Seeks.Count > 0)}, repeats {Repeats(week)}
              listening per member and day (online): {string.Join(", ", perMemberDay.Select(h => h.ToString("F1", CultureInfo.InvariantCulture) + " h"))}
              outages: {string.Join(", ", week.Outages.Select(o => $"{o.From:ddd HH:mm}-{o.To:HH:mm}"))}
            """);
    }

    private static int Repeats(SimulatedWeek week) => week.Plays.GroupBy(p => p.Member)
        .Sum(g => g.OrderBy(p => p.Start).Zip(g.OrderBy(p => p.Start).Skip(1)).Count(x => x.First.ItemUri == x.Second.ItemUri && x.Second.Start == x.First.End));

    /// <summary>What each strategy recorded and saw, and the calls it made.</summary>
    public sealed record RunResult(
        IReadOnlyList<List<RecordedPlay>> Recorded,
        IReadOnlyList<List<Sighting>?> Sightings,
        IReadOnlyList<Dictionary<string, long>> CallsByEndpoint,
        int OursGapsReported,
        IReadOnlyList<(string Account, DateTimeOffset From, DateTimeOffset To)> OursGaps,
        IReadOnlyList<string> OursAccounts,
        TimeSpan Elapsed);

    public static async Task<RunResult> RunAsync(SimulatedWeek week, TextWriter output)
    {
        var watch = Stopwatch.StartNew();
        var clock = new TimerSignallingClock(week.Start);
        await using var spotify = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions { MaxLoggedRequests = 1_000 }, clock);
        spotify.AddCatalog(week.Catalog);
        var ids = new string[Strategies.Length][];
        for (var s = 0; s < Strategies.Length; s++)
        {
            ids[s] = new string[week.Members.Count];
            for (var m = 0; m < week.Members.Count; m++)
            {
                ids[s][m] = $"{week.Members[m].ToLowerInvariant()}-{Strategies[s]}";
                var user = spotify.AddUser(ids[s][m], week.Members[m]);
                foreach (var play in week.PlaysOf(m))
                {
                    user.AddPlay(play.Script);
                }
            }
        }

        var strategyOf = ids.SelectMany((users, s) => users.Select(u => (u, s))).ToDictionary(x => x.u, x => x.s, StringComparer.Ordinal);
        var calls = new ConcurrentDictionary<(int Strategy, string Endpoint), long>();
        spotify.RequestLogged += request =>
        {
            if (request.UserId is { } user && strategyOf.TryGetValue(user, out var s) && request.Endpoint is { } endpoint && endpoint is not ("token" or "authorize"))
            {
                calls.AddOrUpdate((s, endpoint), 1, (_, n) => n + 1);
            }
        };

        using var http = new HttpClient();
        var agents = new List<BaselinePoller>();
        for (var m = 0; m < week.Members.Count; m++)
        {
            agents.Add(new ClassicScript(m, ids[1][m], http, spotify));
            agents.Add(new YourSpotify(m, ids[2][m], http, spotify));
            agents.Add(new MultiScrobbler(m, ids[3][m], http, spotify));
        }

        foreach (var agent in agents)
        {
            agent.SignIn(week.Start);
        }

        await using var ours = await OursCluster.StartAsync(clock, spotify, ids[0]);
        await ours.SignInAsync();

        // The listeners' next polls change only when they poll (or a silo starts): re-read then, not on every step.
        var (oursDue, statuses) = await ours.NextPollAsync();
        var nextReport = week.Start.AddHours(3);
        long steps = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var agentDue = agents.Min(a => a.NextDue);
            var edge = week.Outages.SelectMany(o => new[] { o.From, o.To }).Where(t => t > now).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var t = new[] { oursDue, agentDue, edge, week.End }.Min();
            if (t > now)
            {
                clock.Advance(t - now);
            }

            steps++;
            if (t >= nextReport)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  simulated {(t - week.Start).TotalHours:F0} h in {watch.Elapsed.TotalSeconds:F0} s ({steps:N0} steps, {calls.Values.Sum():N0} calls)"));
                nextReport = nextReport.AddHours(3);
            }

            if (t >= week.End)
            {
                break;
            }

            var outage = week.Outages.FirstOrDefault(o => o.Contains(t));
            if (outage is not null && ours.Running)
            {
                output.WriteLine($"  {t:ddd HH:mm} outage: the service stops ({watch.Elapsed.TotalSeconds:F0} s)");
                await ours.StopAsync();
                (oursDue, statuses) = (DateTimeOffset.MaxValue, null);
                continue;
            }

            if (outage is null && !ours.Running)
            {
                output.WriteLine($"  {t:ddd HH:mm} the service starts again ({watch.Elapsed.TotalSeconds:F0} s)");
                await ours.RestartAsync();
                (oursDue, statuses) = await ours.NextPollAsync();
                continue;
            }

            foreach (var agent in agents.Where(a => a.NextDue <= t))
            {
                if (outage is not null)
                {
                    agent.Defer(outage.To);
                }
                else
                {
                    await agent.StepAsync(t);
                }
            }

            if (statuses is not null && oursDue <= t)
            {
                await ours.WaitForPollsAsync(statuses, t);
                (oursDue, statuses) = await ours.NextPollAsync();
            }
        }

        output.WriteLine("Ours at the end:" + Environment.NewLine + await ours.DescribeAsync());
        List<Sighting> oursSightings = [.. ours.Announcements
            .Where(a => a.State.State == Abstractions.PlaybackState.Playing && a.State.Item?.Uri is not null)
            .Select(a => new Sighting(Array.IndexOf(ids[0], a.State.AccountKey), a.State.Item!.Uri!, a.At))];
        var recorded = new List<List<RecordedPlay>> { ours.StoredPlays(ids[0]) };
        var sightings = new List<List<Sighting>?> { oursSightings };
        for (var s = 1; s < Strategies.Length; s++)
        {
            var mine = agents.Where(a => strategyOf[a.UserId] == s).ToList();
            recorded.Add([.. mine.SelectMany(a => a.Recorded)]);
            sightings.Add(mine[0].Sightings is null ? null : [.. mine.SelectMany(a => a.Sightings!)]);
        }

        var byEndpoint = Enumerable.Range(0, Strategies.Length)
            .Select(s => calls.Where(c => c.Key.Strategy == s).ToDictionary(c => c.Key.Endpoint, c => c.Value, StringComparer.Ordinal))
            .ToList();
        return new RunResult(recorded, sightings, byEndpoint, ours.GapsReported(), ours.GapWindows(), ids[0], watch.Elapsed);
    }

    public static string Report(SimulatedWeek week, RunResult result, TimeSpan total)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Seed {week.Seed}, {week.Days:F0} day(s), {week.Plays.Count} true plays; simulated in {result.Elapsed.TotalSeconds:F0} s ({total.TotalSeconds:F0} s in all).");
        table.AppendLine();
        table.AppendLine("| Strategy | Recall ≥ 30 s | Recall skips | Recall episodes + local | Duplicates | False plays | Private recorded | API calls/day | Calls/captured play | Live latency after a natural end (median / p95, unseen) | After a skip (median / p95, unseen) | Gaps reported / real |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var details = new StringBuilder();
        for (var s = 0; s < Strategies.Length; s++)
        {
            var score = Scorer.Score(week.Plays, result.Recorded[s], result.Sightings[s]);
            var calls = result.CallsByEndpoint[s].Values.Sum();
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {StrategyNames[s]} | {Percent(score.MusicFound, score.MusicTotal)} | {Percent(score.SkipFound, score.SkipTotal)} | {Percent(score.OtherFound, score.OtherTotal)} | {score.Duplicates} | {score.FalsePlays} | {score.PrivateRecorded} | {calls / week.Days:N0} | {(score.Captured == 0 ? "—" : (calls / (double)score.Captured).ToString("N1", CultureInfo.InvariantCulture))} | {Latency(score.EndLatencies, score.EndUnseen, result.Sightings[s] is null)} | {Latency(score.SkipLatencies, score.SkipUnseen, result.Sightings[s] is null)} | {(s == 0 ? result.OursGapsReported : 0)} / {week.Gaps.Count} |");
            details.AppendLine(CultureInfo.InvariantCulture,
                $"- {StrategyNames[s]}: calls by endpoint {string.Join(", ", result.CallsByEndpoint[s].OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value:N0}"))}; "
                + $"missed (reachable) by kind {string.Join(", ", score.Missed.GroupBy(p => p.Kind).Select(g => $"{g.Key} {g.Count()}"))}; "
                + $"unreachable plays captured {score.UnreachableFound}/{score.Unreachable}.");
            if (s == 0)
            {
                foreach (var missed in score.Missed.Where(p => p.Kind != PlayKind.Skip).Take(8))
                {
                    details.AppendLine(CultureInfo.InvariantCulture, $"  - missed {Describe(missed)}");
                }

                foreach (var skip in score.Missed.Where(p => p.Kind == PlayKind.Skip).Take(4))
                {
                    details.AppendLine(CultureInfo.InvariantCulture, $"  - missed {Describe(skip)}");
                }

                foreach (var wrong in score.FalseRecords.Take(5))
                {
                    details.AppendLine(CultureInfo.InvariantCulture, $"  - false play: {week.Members[wrong.Member]} {wrong.ItemUri} at {wrong.At:ddd HH:mm:ss}");
                }

                foreach (var (previous, play, latency) in score.SlowestAfterEnd)
                {
                    details.AppendLine(CultureInfo.InvariantCulture, $"  - slow after a natural end: {latency.TotalSeconds:F0} s to see {Describe(play)}, after {Describe(previous)}");
                }
            }
        }

        table.AppendLine();
        table.Append(details);
        table.AppendLine();
        foreach (var gap in week.Gaps)
        {
            var covered = result.OursGaps.Any(g => g.Account == result.OursAccounts[gap.Member] && g.From <= gap.From && g.To >= gap.To);
            table.AppendLine(CultureInfo.InvariantCulture,
                $"- Real gap: {week.Members[gap.Member]}, {gap.LostPlays} plays lost between {gap.From:ddd HH:mm:ss} and {gap.To:ddd HH:mm:ss}; ours {(covered ? "reported a window covering it" : "reported no window covering it")}.");
        }

        foreach (var (account, from, to) in result.OursGaps)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"- Ours reported: {account}, {from:ddd HH:mm:ss} to {to:ddd HH:mm:ss}.");
        }

        return table.ToString();
    }

    private static string Describe(TruePlay play) => string.Create(CultureInfo.InvariantCulture,
        $"{play.Kind} of member {play.Member} {play.Start:ddd HH:mm:ss}-{play.End:HH:mm:ss} ({play.MsPlayed.TotalSeconds:F0} s played of {play.Script.Item.Duration.TotalSeconds:F0} s{(play.Script.Pauses.Count > 0 ? ", paused" : "")}{(play.Script.Seeks.Count > 0 ? ", seek" : "")}{(play.Offline ? ", offline" : "")}{(play.NaturalEnd ? ", to its end" : "")})");

    private static string Percent(int found, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{100.0 * Score.Ratio(found, total):F1} % ({found}/{total})");

    private static string Latency(IReadOnlyList<TimeSpan> values, int unseen, bool noLiveView)
    {
        if (noLiveView)
        {
            return "no live view";
        }

        return Scorer.Quantile(values, 0.5) is { } median
            ? string.Create(CultureInfo.InvariantCulture, $"{median.TotalSeconds:F1} s / {Scorer.Quantile(values, 0.95)!.Value.TotalSeconds:F1} s, {unseen}")
            : $"—, {unseen}";
    }
}
