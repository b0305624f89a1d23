using System.Globalization;
using OrleansSpotify.Storage;

using static OrleansSpotify.Benchmarks.OptionArguments;

namespace OrleansSpotify.Benchmarks.Stats;

/// <summary>Command-line options of the <c>stats</c> benchmark.</summary>
public sealed class StatsBenchmarkOptions
{
    public const string Usage = """
        stats [options]     Stats grain answers, cold (fresh activations) and warm (cached), for range all and 1y,
                            each as a ratio to one full scan (SELECT sum(ms_played) FROM plays) timed in the same run,
                            over a generated household history written through PlayWriter.Write.

          --quick                 smoke run: 100,000 plays, 10,000 tracks, 1,600 artists, fewer repetitions
          --plays N               plays of the whole household (default 1,000,000)
          --accounts N            household accounts (default 5); a typical one and the busiest one are measured
          --tracks N              catalogue tracks, mostly on albums of about 12 (default 50,000)
          --artists N             catalogue artists (default 8,000)
          --years N               years of history (default 10)
          --end yyyy-MM-dd        the history runs up to this UTC midnight (default 2026-01-01)
          --import-last           write the polled (recently-played) plays first and the imported history after them,
                                  as when a member signs up and imports later: the packed logs are then out of order
          --tz ZONE               IANA zone of every request (default UTC)
          --cold N                fresh activations timed per answer (default 5)
          --warm N                cached repeats timed per answer (default 200)
          --scans N               timed baseline scans, before and after the grain runs each (default 5)
          --seed N                workload seed (default 20261120)
          --reuse DIR             keep the generated database under DIR (in a folder named after the workload
                                  options) and reuse it when a later run asks for the same workload; default: a
                                  fresh database in a temporary directory, deleted afterwards
        """;

    public int Plays { get; private set; } = 1_000_000;

    public int Accounts { get; private set; } = 5;

    public int Tracks { get; private set; } = 50_000;

    public int Artists { get; private set; } = 8_000;

    public int Years { get; private set; } = 10;

    public DateOnly End { get; private set; } = new(2026, 1, 1);

    public bool ImportLast { get; private set; }

    public string TimeZone { get; private set; } = "UTC";

    public int ColdRepetitions { get; private set; } = 5;

    public int WarmRepetitions { get; private set; } = 200;

    public int Scans { get; private set; } = 5;

    public int Seed { get; private set; } = 20261120;

    public string? ReuseDirectory { get; private set; }

    public bool Quick { get; private set; }

    /// <summary>Rounds of unmeasured calls on a throw-away silo before the measured one (JIT, connection pools).</summary>
    public int WarmupRounds => Quick ? 1 : 2;

    /// <summary>
    /// Names the generated database by everything that shapes it (the packed log's chunk size too), so <c>--reuse</c>
    /// only ever picks up a database of the same workload. Bump the leading version when the generator changes.
    /// </summary>
    public string WorkloadKey => string.Create(
        CultureInfo.InvariantCulture,
        $"stats-v1-p{Plays}-a{Accounts}-t{Tracks}-r{Artists}-y{Years}-e{End:yyyyMMdd}-s{Seed}-c{PlayLogFormat.ChunkCapacity}{(ImportLast ? "-import-last" : "")}");

    /// <summary>Parses the options after the benchmark name; throws <see cref="ArgumentException"/> on a bad one.</summary>
    public static StatsBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new StatsBenchmarkOptions();
        if (args.Contains("--quick"))
        {
            options.Quick = true;
            options.Plays = 100_000;
            options.Tracks = 10_000;
            options.Artists = 1_600;
            options.ColdRepetitions = 3;
            options.WarmRepetitions = 50;
            options.Scans = 3;
        }

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--quick":
                    break;
                case "--plays":
                    options.Plays = Positive(name, Value(args, ref i));
                    break;
                case "--accounts":
                    options.Accounts = Positive(name, Value(args, ref i));
                    break;
                case "--tracks":
                    options.Tracks = Positive(name, Value(args, ref i));
                    break;
                case "--artists":
                    options.Artists = Positive(name, Value(args, ref i));
                    break;
                case "--years":
                    options.Years = Positive(name, Value(args, ref i));
                    break;
                case "--end":
                    var end = Value(args, ref i);
                    options.End = DateOnly.TryParseExact(end, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                        ? date
                        : throw new ArgumentException($"--end needs a date like 2026-01-01, not '{end}'.");
                    break;
                case "--import-last":
                    options.ImportLast = true;
                    break;
                case "--tz":
                    var zone = Value(args, ref i);
                    options.TimeZone = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)
                        ? zone
                        : throw new ArgumentException($"--tz needs an IANA time zone (e.g. Europe/Berlin), not '{zone}'.");
                    break;
                case "--cold":
                    options.ColdRepetitions = Positive(name, Value(args, ref i));
                    break;
                case "--warm":
                    options.WarmRepetitions = Positive(name, Value(args, ref i));
                    break;
                case "--scans":
                    options.Scans = Positive(name, Value(args, ref i));
                    break;
                case "--seed":
                    options.Seed = int.Parse(Value(args, ref i), NumberStyles.Integer, CultureInfo.InvariantCulture);
                    break;
                case "--reuse":
                    options.ReuseDirectory = Path.GetFullPath(Value(args, ref i));
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (options.Tracks < 20 || options.Artists < 2 || options.Artists > options.Tracks)
        {
            throw new ArgumentException("--tracks must be at least 20 and --artists between 2 and the number of tracks.");
        }

        if (options.End.AddYears(-options.Years).Year < 1971)
        {
            throw new ArgumentException("--end minus --years must be after 1970.");
        }

        return options;
    }
}
