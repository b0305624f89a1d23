namespace OrleansSpotify.Benchmarks.Reporting;

/// <summary>One timed run: how many items it handled, in how many transactions (0: unknown), and how long it took.</summary>
public readonly record struct Measurement(int Items, TimeSpan Elapsed, int Transactions)
{
    public double PerSecond => Items / Elapsed.TotalSeconds;
}

/// <summary>The repetitions of one scenario, summarised by their median.</summary>
public sealed class Samples
{
    private readonly List<Measurement> _measurements = [];

    public IReadOnlyList<Measurement> Measurements => _measurements;

    public int Items => _measurements.Count == 0 ? 0 : _measurements[0].Items;

    public TimeSpan MedianElapsed => TimeSpan.FromSeconds(Median(_measurements.Select(m => m.Elapsed.TotalSeconds)));

    public double MedianPerSecond => Items / MedianElapsed.TotalSeconds;

    /// <summary>Items per transaction over all runs; null when a run did not count its transactions.</summary>
    public double? ItemsPerTransaction => _measurements.Any(m => m.Transactions <= 0)
        ? null
        : (double)_measurements.Sum(m => m.Items) / _measurements.Sum(m => m.Transactions);

    public double MinPerSecond => _measurements.Min(m => m.PerSecond);

    public double MaxPerSecond => _measurements.Max(m => m.PerSecond);

    public void Add(Measurement measurement) => _measurements.Add(measurement);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No values.");
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
