using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace OrleansSpotify.Import;

/// <summary>What a parse-only pass read, and how fast.</summary>
public sealed record ParseOnlyResult(long Rows, long Files, long Bytes, long MsPlayedSum, TimeSpan Elapsed)
{
    public double RowsPerSecond => Rows / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double MegabytesPerSecond => Bytes / 1048576.0 / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// The baseline of the import benchmark: recognise and read every row of the given files (zips expanded) exactly as
/// an import does, and drop them. Extended history and account data only unless <paramref name="readers"/> adds more.
/// </summary>
public static class ParseOnly
{
    public static async Task<ParseOnlyResult> RunAsync(IEnumerable<string> paths, ImportLimits? limits = null, IEnumerable<IImportFormatReader>? readers = null, CancellationToken cancellationToken = default)
    {
        limits ??= new ImportLimits();
        var options = Options.Create(limits);
        var registry = new ImportReaders(readers ?? [new ExtendedHistoryReader(options), new AccountDataReader(options)]);
        var stopwatch = Stopwatch.StartNew();
        long rows = 0, bytes = 0, msPlayed = 0, files = 0;
        await using var source = await ImportSource.OpenPathsAsync(paths, limits, cancellationToken);
        foreach (var file in source.Files)
        {
            await foreach (var play in registry.ReadAsync(file, cancellationToken))
            {
                rows++;
                msPlayed += play.MsPlayed;
            }

            files++;
            bytes += file.Length;
        }

        return new ParseOnlyResult(rows, files, bytes, msPlayed, stopwatch.Elapsed);
    }
}
