using System.Globalization;
using OrleansSpotify.Grains;

using static OrleansSpotify.Benchmarks.OptionArguments;

namespace OrleansSpotify.Benchmarks.Storage;

/// <summary>Who calls the storage grain: code inside the silo (as the listener grains do) or the external cluster client.</summary>
public enum CallerLocation
{
    Silo,
    Client,
}

/// <summary>Command-line options of the <c>storage</c> benchmark.</summary>
public sealed class StorageBenchmarkOptions
{
    public const string Usage = """
        storage [options]   Plays/s of StorageGrain.RecordPlaysAsync as a ratio to bare PlayWriter.Write batches.

          --quick                 smoke run: 20,000 plays, 2,000 for the single caller, 3 repetitions
          --plays N               plays through the concurrent callers (default 200,000)
          --single-plays N        plays through the single caller (default plays / 10: with a flush delay, each request waits for it)
          --accounts N            household accounts, one concurrent caller each (default 5)
          --tracks N              catalogue size; artists = tracks / 4, albums = tracks / 8 (default 3,000)
          --request-size N        plays per RecordPlaysAsync call, like one recently-played read (default 50)
          --in-flight N           requests each concurrent caller keeps in flight (default 4)
          --repetitions N         measured repetitions per scenario, alternating order (default 5)
          --warmup-plays N        plays of the unmeasured warm-up round (JIT tiering) per scenario (default 20,000;
                                  the single caller only sends its first 20 requests: its code is the same)
          --max-batch-size N      StorageGrainOptions.MaxBatchSize, 1-100,000 (default from StorageGrainOptions)
          --baseline-batch-size N plays per PlayWriter.Write of the baseline (default: the max batch size)
          --flush-delay-ms N      StorageGrainOptions.FlushDelay in milliseconds (default from StorageGrainOptions)
          --callers silo|client   call from inside the silo, as listener grains do, or through the cluster client (default silo)
          --seed N                workload seed (default 20261120)
        """;

    public int Plays { get; private set; } = 200_000;

    public int? SinglePlays { get; private set; }

    public int Accounts { get; private set; } = 5;

    public int Tracks { get; private set; } = 3_000;

    public int RequestSize { get; private set; } = 50;

    public int InFlight { get; private set; } = 4;

    public int Repetitions { get; private set; } = 5;

    public int WarmupPlays { get; private set; } = 20_000;

    public int MaxBatchSize { get; private set; } = new StorageGrainOptions().MaxBatchSize;

    public int? BaselineBatchSize { get; private set; }

    public TimeSpan FlushDelay { get; private set; } = new StorageGrainOptions().FlushDelay;

    public CallerLocation Callers { get; private set; } = CallerLocation.Silo;

    public int Seed { get; private set; } = 20261120;

    public bool Quick { get; private set; }

    public int BaselineBatch => BaselineBatchSize ?? MaxBatchSize;

    public int SingleCallerPlays => Math.Min(Plays, SinglePlays ?? Math.Max(RequestSize, Plays / 10));

    /// <summary>Parses the options after the scenario name; throws <see cref="ArgumentException"/> on a bad one.</summary>
    public static StorageBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new StorageBenchmarkOptions();
        if (args.Contains("--quick"))
        {
            options.Quick = true;
            options.Plays = 20_000;
            options.Repetitions = 3;
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
                case "--single-plays":
                    options.SinglePlays = Positive(name, Value(args, ref i));
                    break;
                case "--accounts":
                    options.Accounts = Positive(name, Value(args, ref i));
                    break;
                case "--tracks":
                    options.Tracks = Positive(name, Value(args, ref i));
                    break;
                case "--request-size":
                    options.RequestSize = Positive(name, Value(args, ref i));
                    break;
                case "--in-flight":
                    options.InFlight = Positive(name, Value(args, ref i));
                    break;
                case "--repetitions":
                    options.Repetitions = Positive(name, Value(args, ref i));
                    break;
                case "--warmup-plays":
                    options.WarmupPlays = Positive(name, Value(args, ref i));
                    break;
                case "--max-batch-size":
                    options.MaxBatchSize = Positive(name, Value(args, ref i));
                    break;
                case "--baseline-batch-size":
                    options.BaselineBatchSize = Positive(name, Value(args, ref i));
                    break;
                case "--flush-delay-ms":
                    options.FlushDelay = TimeSpan.FromMilliseconds(double.Parse(Value(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture));
                    break;
                case "--callers":
                    options.Callers = Value(args, ref i) switch
                    {
                        "silo" => CallerLocation.Silo,
                        "client" => CallerLocation.Client,
                        var other => throw new ArgumentException($"--callers must be silo or client, not '{other}'."),
                    };
                    break;
                case "--seed":
                    options.Seed = int.Parse(Value(args, ref i), NumberStyles.Integer, CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (options.MaxBatchSize > 100_000)
        {
            throw new ArgumentException("--max-batch-size must be at most 100,000 (StorageGrainOptions' range).");
        }

        if (options.FlushDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("--flush-delay-ms must not be negative.");
        }

        return options;
    }
}
