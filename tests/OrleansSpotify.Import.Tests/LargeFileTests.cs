using System.Diagnostics;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Import.Tests;

/// <summary>Runs alone (no other test allocating at the same time), so the live heap it samples is its own.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class LargeFileCollection;

[Collection(nameof(LargeFileCollection))]
public sealed class LargeFileTests
{
    private const int Rows = 300_000;

    /// <summary>
    /// A file of ~200 MB is read while the live heap (after a full collection every 25,000 rows) is sampled: holding the
    /// rows, or the file, would take far more than the bound; the streaming reader needs its buffer and one buffer's
    /// rows. The bound is generous (a tenth of the file's rows would exceed it) so that it cannot flake; the figures
    /// are printed.
    /// </summary>
    [Fact]
    public async Task Reading_a_large_generated_file_keeps_the_live_heap_bounded_and_prints_the_parse_only_rate()
    {
        using var folder = new TempFolder();
        var path = folder.File("Streaming_History_Audio_2015-2020_0.json");
        var generation = Stopwatch.StartNew();
        var bytes = new ExportGenerator(seed: 41).WriteExtendedFile(path, Rows, new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero));
        generation.Stop();
        Assert.True(bytes > 150L * 1024 * 1024, $"the file is {bytes:N0} bytes");

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peakGrowth = long.MinValue, rows = 0, msPlayed = 0;
        var stopwatch = Stopwatch.StartNew();
        await using (var source = await ImportSource.OpenPathsAsync([path], new ImportLimits(), TestContext.Current.CancellationToken))
        {
            await foreach (var row in Readers.Registry().ReadAsync(Assert.Single(source.Files), TestContext.Current.CancellationToken))
            {
                msPlayed += row.MsPlayed;
                if (++rows % 25_000 == 0)
                {
                    stopwatch.Stop();
                    peakGrowth = Math.Max(peakGrowth, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                    stopwatch.Start();
                }
            }
        }

        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Rows:N0} rows, {bytes / 1048576.0:N1} MB generated in {generation.Elapsed.TotalSeconds:N2} s; read in {stopwatch.Elapsed.TotalSeconds:N2} s "
            + $"({rows / stopwatch.Elapsed.TotalSeconds:N0} rows/s, debug build, test runner); allocated {allocated / 1048576.0:N0} MB "
            + $"({allocated / (double)rows:N0} B a row); peak live heap growth {peakGrowth / 1048576.0:N1} MB");

        Assert.Equal(Rows, rows);
        Assert.True(msPlayed > 0);
        Assert.True(peakGrowth < 48L * 1024 * 1024, $"the live heap grew by {peakGrowth:N0} bytes while reading a {bytes:N0}-byte file");
    }

    [Fact]
    public async Task Parse_only_reads_every_row_of_the_given_files()
    {
        using var folder = new TempFolder();
        var generator = new ExportGenerator(seed: 42);
        generator.WriteExtendedFile(folder.File("Streaming_History_Audio_2019_0.json"), 20_000, new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using (var zip = File.Create(folder.File("my_spotify_data.zip")))
        {
            generator.WriteExtendedZip(zip, 5_000, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }

        var result = await ParseOnly.RunAsync([folder.File("Streaming_History_Audio_2019_0.json"), folder.File("my_spotify_data.zip")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(25_000, result.Rows);
        Assert.True(result.Files >= 2);
        Assert.True(result.MsPlayedSum > 0 && result.RowsPerSecond > 0);
    }
}
