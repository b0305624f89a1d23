namespace OrleansSpotify.Benchmarks.Stats;

/// <summary>
/// Draws ranks 0..count-1 with probability proportional to 1 / (rank + 1)^exponent (Zipf): rank 0 is the most
/// popular. A binary search over the cumulative weights per draw.
/// </summary>
public sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int count, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _cumulative = new double[count];
        var sum = 0.0;
        for (var rank = 0; rank < count; rank++)
        {
            sum += 1 / Math.Pow(rank + 1, exponent);
            _cumulative[rank] = sum;
        }
    }

    public int Next(Random random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}

/// <summary>Zipf samplers shared by every list of the same length (an artist's tracks, a playlist).</summary>
public sealed class ZipfSamplers(double exponent)
{
    private readonly Dictionary<int, ZipfSampler> _bySize = [];

    public int Next(Random random, int count)
    {
        if (!_bySize.TryGetValue(count, out var sampler))
        {
            _bySize[count] = sampler = new ZipfSampler(count, exponent);
        }

        return sampler.Next(random);
    }
}

/// <summary>The few distributions the generator needs beyond <see cref="Random"/>'s uniform ones.</summary>
public static class RandomDistributions
{
    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double NextGaussian(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal factor with median 1.</summary>
    public static double NextLogNormal(this Random random, double sigma) => Math.Exp(sigma * random.NextGaussian());

    /// <summary>1 + a geometric draw: the count of trials up to the first success, mean <paramref name="mean"/>.</summary>
    public static int NextGeometric(this Random random, double mean)
    {
        var p = 1.0 / Math.Max(1.0, mean);
        return p >= 1 ? 1 : 1 + (int)Math.Floor(Math.Log(1.0 - random.NextDouble()) / Math.Log(1.0 - p));
    }

    /// <summary>An index drawn with probability proportional to its weight.</summary>
    public static int NextWeighted(this Random random, IReadOnlyList<double> weights)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            total += weights[i];
        }

        var target = random.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }
}
