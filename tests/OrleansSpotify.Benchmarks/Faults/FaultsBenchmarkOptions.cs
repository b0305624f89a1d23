using System.Globalization;

using static OrleansSpotify.Benchmarks.OptionArguments;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>Command-line options of the <c>faults</c> benchmark.</summary>
public sealed class FaultsBenchmarkOptions
{
    public const string Usage = """
        faults [options]    The real Host (a child process) records a scripted household day from the fake Spotify on a
                            compressed clock while faults are injected and the Host is killed with SIGKILL twice;
                            then plays expected / stored / lost / duplicated and requests inside a Retry-After window.
                            Exits 1 when a play is lost or duplicated or a request was sent inside a window.

          --smoke                 CI run: 6 scripted hours at 360x (about 1 minute of day, under 2 minutes in all)
          --hours N               hours of scripted listening (default 24)
          --speed N               how many times faster than real time the fake's clock runs (default 144: a day in
                                  10 minutes); the Host's polling settings are scaled to match
          --max-retry-after N     no 429 asks for a longer Retry-After than N seconds (default 10; smoke 4)
          --seed N                household script seed (default 8)
          --host PATH             the Host to run (default: the OrleansSpotify.Host.dll built with this benchmark)
          --keep                  keep the run's folder (database, Host logs) instead of deleting it
        """;

    public bool Smoke { get; private set; }

    public int Hours { get; private set; } = 24;

    public int Speed { get; private set; } = 144;

    public int MaxRetryAfterSeconds { get; private set; } = 10;

    public int Seed { get; private set; } = 8;

    public string? HostPath { get; private set; }

    public bool Keep { get; private set; }

    public TimeSpan Span => TimeSpan.FromHours(Hours);

    /// <summary>The scripted day in real time.</summary>
    public TimeSpan RealSpan => Span / Speed;

    public TimeSpan MaxRetryAfter => TimeSpan.FromSeconds(MaxRetryAfterSeconds);

    /// <summary>Parses the options after the benchmark name; throws <see cref="ArgumentException"/> on a bad one.</summary>
    public static FaultsBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new FaultsBenchmarkOptions();
        if (args.Contains("--smoke"))
        {
            options.Smoke = true;
            options.Hours = 6;
            options.Speed = 360;
            options.MaxRetryAfterSeconds = 4;
        }

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--smoke":
                    break;
                case "--hours":
                    options.Hours = Positive(name, Value(args, ref i));
                    break;
                case "--speed":
                    options.Speed = Positive(name, Value(args, ref i));
                    break;
                case "--max-retry-after":
                    options.MaxRetryAfterSeconds = Positive(name, Value(args, ref i));
                    break;
                case "--seed":
                    options.Seed = int.Parse(Value(args, ref i), NumberStyles.Integer, CultureInfo.InvariantCulture);
                    break;
                case "--host":
                    options.HostPath = Path.GetFullPath(Value(args, ref i));
                    break;
                case "--keep":
                    options.Keep = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (options.Hours < 2)
        {
            throw new ArgumentException("--hours must be at least 2: the schedule needs room for its faults.");
        }

        return options;
    }
}
