using System.IO.Compression;
using System.Text;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Import.Tests;

/// <summary>Zip bombs, path traversal and too many entries, with real deflated data.</summary>
public sealed class ZipLimitTests
{
    private const string EntryName = "Spotify Extended Streaming History/Streaming_History_Audio_2020_0.json";

    [Fact]
    public async Task Inflated_bytes_past_the_entry_limit_fail_the_read_whatever_the_header_says()
    {
        var json = GeneratedJson(6_000);
        Assert.True(json.Length > 2 * 1024 * 1024);
        var compressed = Deflate(json);
        var limits = new ImportLimits { MaxEntryBytes = 1024 * 1024 };

        await using var stream = new InflateLimitStream(new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress), "x.zip/e.json", compressed.Length, limits);
        var error = await Assert.ThrowsAsync<ImportFormatException>(() => stream.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));

        Assert.Equal("x.zip/e.json: inflates to more than 1,048,576 bytes (the limit of an entry)", error.Message);
        Assert.InRange(stream.Inflated, limits.MaxEntryBytes + 1, limits.MaxEntryBytes + 128 * 1024);
    }

    [Fact]
    public async Task Inflated_bytes_past_the_ratio_fail_the_read()
    {
        var bomb = Bomb(8 * 1024 * 1024);
        var compressed = Deflate(bomb);
        Assert.True(bomb.Length / compressed.Length > 100, $"ratio {bomb.Length / compressed.Length}");
        var limits = new ImportLimits();

        await using var stream = new InflateLimitStream(new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress), "x.zip/e.json", compressed.Length, limits);
        var error = await Assert.ThrowsAsync<ImportFormatException>(() => stream.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));

        Assert.Contains("inflates to more than 100:1", error.Message, StringComparison.Ordinal);
        Assert.True(stream.Inflated <= Math.Max(limits.RatioCheckFloorBytes, 100L * compressed.Length) + (128 * 1024), $"inflated {stream.Inflated:N0}");
    }

    [Fact]
    public async Task A_zip_bomb_entry_with_an_honest_header_fails_while_it_is_read()
    {
        using var zip = Zip((EntryName, Bomb(20 * 1024 * 1024)));
        await using var source = await ImportSource.OpenUploadsAsync([("my_spotify_data.zip", zip)], new ImportLimits(), TestContext.Current.CancellationToken);
        var file = Assert.Single(source.Files);

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAllAsync(file));

        Assert.Equal("my_spotify_data.zip/" + EntryName, error.File);
        Assert.True(error.Reason.Contains("inflates to more than 100:1", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task An_entry_whose_header_claims_more_than_the_limit_is_refused_before_reading()
    {
        using var zip = Zip((EntryName, GeneratedJson(3_000)));

        var error = await Assert.ThrowsAsync<ImportFormatException>(() =>
            ImportSource.OpenUploadsAsync([("my_spotify_data.zip", zip)], new ImportLimits { MaxEntryBytes = 512 * 1024 }, TestContext.Current.CancellationToken));

        Assert.Equal("my_spotify_data.zip/" + EntryName, error.File);
        Assert.Contains("bytes uncompressed; an entry may be at most 524,288", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_whose_header_understates_its_size_is_never_inflated_past_it_and_fails()
    {
        var json = GeneratedJson(3_000);
        var bytes = Zip((EntryName, json)).ToArray();
        PatchUncompressedSizes(bytes, 4_000);
        using var zip = new MemoryStream(bytes);
        await using var source = await ImportSource.OpenUploadsAsync([("my_spotify_data.zip", zip)], new ImportLimits { MaxEntryBytes = 512 * 1024 }, TestContext.Current.CancellationToken);
        var file = Assert.Single(source.Files);
        Assert.Equal(4_000, file.Length);

        var rows = 0;
        var error = await Assert.ThrowsAsync<ImportFormatException>(async () =>
        {
            await foreach (var _ in Readers.Registry().ReadAsync(file, TestContext.Current.CancellationToken))
            {
                rows++;
            }
        });

        Assert.Contains("truncated", error.Reason, StringComparison.Ordinal);
        Assert.InRange(rows, 1, 10);
    }

    [Fact]
    public async Task A_corrupt_entry_fails_as_a_format_error_naming_it()
    {
        var bytes = Zip((EntryName, GeneratedJson(2_000))).ToArray();
        var data = bytes.AsSpan(100, bytes.Length / 2);
        for (var i = 0; i < data.Length; i += 97)
        {
            data[i] ^= 0x5A;
        }

        using var zip = new MemoryStream(bytes);
        await using var source = await ImportSource.OpenUploadsAsync([("my_spotify_data.zip", zip)], new ImportLimits(), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAllAsync(Assert.Single(source.Files)));

        Assert.Equal("my_spotify_data.zip/" + EntryName, error.File);
    }

    [Theory]
    [InlineData("../Streaming_History_Audio_2021.json")]
    [InlineData("Spotify Extended Streaming History/../../endsong_0.json")]
    [InlineData("/tmp/endsong_0.json")]
    [InlineData("C:/Users/Public/endsong_0.json")]
    [InlineData("..\\..\\ReadMe.pdf")]
    public async Task A_zip_with_an_entry_path_that_leaves_the_archive_is_refused(string path)
    {
        using var zip = Zip(("Spotify Extended Streaming History/Streaming_History_Audio_2021_0.json", "[]"u8.ToArray()), (path, "[]"u8.ToArray()));

        var error = await Assert.ThrowsAsync<ImportFormatException>(() =>
            ImportSource.OpenUploadsAsync([("my_spotify_data.zip", zip)], new ImportLimits(), TestContext.Current.CancellationToken));

        Assert.Equal($"my_spotify_data.zip: entry '{path}' has a path that leaves the archive; the zip is refused", error.Message);
    }

    [Fact]
    public async Task A_zip_with_more_entries_than_the_limit_is_refused_and_one_at_the_limit_is_read()
    {
        var limits = new ImportLimits { MaxEntries = 40 };
        using var atLimit = Zip([.. Enumerable.Range(0, 40).Select(i => ($"endsong_{i}.json", "[]"u8.ToArray()))]);
        using var overLimit = Zip([.. Enumerable.Range(0, 41).Select(i => ($"endsong_{i}.json", "[]"u8.ToArray()))]);

        await using (var source = await ImportSource.OpenUploadsAsync([("ok.zip", atLimit)], limits, TestContext.Current.CancellationToken))
        {
            Assert.Equal(40, source.Files.Count);
        }

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ImportSource.OpenUploadsAsync([("many.zip", overLimit)], limits, TestContext.Current.CancellationToken));
        Assert.Equal("many.zip: holds 41 entries; at most 40 are accepted", error.Message);
    }

    [Fact]
    public async Task The_default_limits_are_those_of_the_issue()
    {
        var limits = new ImportLimits();
        Assert.Equal((64L * 1024 * 1024, 100, 500), (limits.MaxEntryBytes, limits.MaxCompressionRatio, limits.MaxEntries));

        using var overDefault = Zip([.. Enumerable.Range(0, 501).Select(i => ($"f{i}.txt", "x"u8.ToArray()))]);
        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ImportSource.OpenUploadsAsync([("many.zip", overDefault)], limits, TestContext.Current.CancellationToken));
        Assert.Equal("many.zip: holds 501 entries; at most 500 are accepted", error.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_but_named_so_is_refused()
    {
        using var notZip = new MemoryStream("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1}]"""u8.ToArray());

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ImportSource.OpenUploadsAsync([("my_spotify_data.zip", notZip)], new ImportLimits(), TestContext.Current.CancellationToken));

        Assert.StartsWith("my_spotify_data.zip: not a readable zip archive", error.Message, StringComparison.Ordinal);
    }

    private static async Task ReadAllAsync(ImportFile file)
    {
        await foreach (var _ in Readers.Registry().ReadAsync(file, TestContext.Current.CancellationToken))
        {
        }
    }

    /// <summary>An extended-history file that is one array padded with spaces: valid JSON that deflates about 1000:1.</summary>
    private static byte[] Bomb(int bytes)
    {
        var content = new byte[bytes];
        Array.Fill(content, (byte)' ');
        content[0] = (byte)'[';
        content[^1] = (byte)']';
        return content;
    }

    private static byte[] GeneratedJson(int rows)
    {
        using var file = new MemoryStream();
        ExportGenerator.WriteExtended(file, new ExportGenerator(seed: 21).ExtendedRows(rows, new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        return file.ToArray();
    }

    private static byte[] Deflate(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(content);
        }

        return compressed.ToArray();
    }

    internal static MemoryStream Zip(params (string Name, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        stream.Position = 0;
        return stream;
    }

    /// <summary>Rewrites the uncompressed size in every local file header and central directory record.</summary>
    private static void PatchUncompressedSizes(byte[] zip, int size)
    {
        for (var i = 0; i + 30 < zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4)
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 22, 4), size);
            }
            else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2)
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 24, 4), size);
            }
        }
    }
}
