using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Import.Tests;

public sealed class ImportSourceTests
{
    private static readonly DateTimeOffset Start = new(2022, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_extended_export_zip_reads_every_history_file_in_its_folder_and_lists_the_readme_as_skipped()
    {
        using var zip = new MemoryStream();
        var files = new ExportGenerator(seed: 31).WriteExtendedZip(zip, 9_000, Start, rowsPerFile: 2_500);
        zip.Position = 0;
        Assert.Contains(files, f => f.Name.Contains("Streaming_History_Video_", StringComparison.Ordinal));

        await using var source = await ImportSource.OpenUploadsAsync([("my_spotify_data.zip", zip)], new ImportLimits(), TestContext.Current.CancellationToken);

        Assert.Equal(files.Select(f => ("my_spotify_data.zip/" + f.Name, ImportFormat.ExtendedHistory)), source.Files.Select(f => (f.Name, f.Format)));
        Assert.Equal([new SkippedEntry("my_spotify_data.zip/Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf", "not a streaming history file (not JSON)")], source.Skipped);
        var registry = Readers.Registry();
        foreach (var (file, generated) in source.Files.Zip(files))
        {
            var read = await ReadAllAsync(registry.ReadAsync(file, TestContext.Current.CancellationToken));
            Assert.Equal(generated.Rows.Select((r, i) => r.Expected(i)), read);
        }
    }

    [Fact]
    public async Task The_account_data_zip_reads_music_and_podcasts_and_lists_every_other_file_with_its_reason()
    {
        var rows = ExportGenerator.AccountRowsFrom(new ExportGenerator(seed: 32).ExtendedRows(4_000, Start)).ToList();
        using var zip = new MemoryStream();
        var files = ExportGenerator.WriteAccountZip(zip, rows, rowsPerFile: 1_500);
        zip.Position = 0;

        await using var source = await ImportSource.OpenUploadsAsync([("my_spotify_data.zip", zip)], new ImportLimits(), TestContext.Current.CancellationToken);

        Assert.Equal(files.Select(f => "my_spotify_data.zip/" + f.Name), source.Files.Select(f => f.Name));
        Assert.All(source.Files, f => Assert.Equal(ImportFormat.AccountData, f.Format));
        Assert.Equal(
            [
                new SkippedEntry("my_spotify_data.zip/Spotify Account Data/Userdata.json", "not a streaming history file"),
                new SkippedEntry("my_spotify_data.zip/Spotify Account Data/YourLibrary.json", "not a streaming history file"),
                new SkippedEntry("my_spotify_data.zip/Spotify Account Data/Playlist1.json", "not a streaming history file"),
                new SkippedEntry("my_spotify_data.zip/Spotify Account Data/Read_Me_First.pdf", "not a streaming history file (not JSON)"),
            ],
            source.Skipped);
        var read = new List<ImportedPlay>();
        foreach (var file in source.Files)
        {
            read.AddRange(await ReadAllAsync(Readers.Registry().ReadAsync(file, TestContext.Current.CancellationToken)));
        }

        Assert.Equal(rows.Count, read.Count);
        Assert.Equal(rows.Count(r => r.IsPodcast), read.Count(r => r.Kind == ImportedKind.Episode));
    }

    [Fact]
    public async Task Loose_files_on_disk_are_recognised_by_name_or_content_and_zips_by_their_signature()
    {
        using var folder = new TempFolder();
        var generator = new ExportGenerator(seed: 33);
        var extended = generator.ExtendedRows(500, Start).ToList();
        await File.WriteAllBytesAsync(folder.File("endsong_0.json"), Json(extended), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(folder.File("history-from-my-phone.json"), Json(extended), TestContext.Current.CancellationToken);
        using (var accountFile = File.Create(folder.File("whatever.json")))
        {
            ExportGenerator.WriteAccount(accountFile, ExportGenerator.AccountRowsFrom(extended));
        }

        using (var zipFile = File.Create(folder.File("download")))
        {
            generator.WriteExtendedZip(zipFile, 300, Start);
        }

        await using var source = await ImportSource.OpenPathsAsync(
            [folder.File("endsong_0.json"), folder.File("history-from-my-phone.json"), folder.File("whatever.json"), folder.File("download")],
            new ImportLimits(), TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                ("endsong_0.json", ImportFormat.ExtendedHistory),
                ("history-from-my-phone.json", ImportFormat.ExtendedHistory),
                ("whatever.json", ImportFormat.AccountData),
                ("download/Spotify Extended Streaming History/Streaming_History_Audio_2022_0.json", ImportFormat.ExtendedHistory),
            ],
            source.Files.Where(f => !f.Name.Contains("Video", StringComparison.Ordinal)).Select(f => (f.Name, f.Format)));
        var fromRenamed = await ReadAllAsync(Readers.Registry().ReadAsync(source.Files[1], TestContext.Current.CancellationToken));
        Assert.Equal(extended.Select((r, i) => r.Expected(i)), fromRenamed);
        var again = await ReadAllAsync(Readers.Registry().ReadAsync(source.Files[1], TestContext.Current.CancellationToken));
        Assert.Equal(fromRenamed, again);
    }

    [Fact]
    public async Task Missing_files_and_files_of_another_kind_are_refused_naming_them()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("Userdata.json"), """{"username":"listener"}""", TestContext.Current.CancellationToken);

        var missing = await Assert.ThrowsAsync<ImportFormatException>(() =>
            ImportSource.OpenPathsAsync([folder.File("endsong_9.json")], new ImportLimits(), TestContext.Current.CancellationToken));
        var other = await Assert.ThrowsAsync<ImportFormatException>(() =>
            ImportSource.OpenPathsAsync([folder.File("Userdata.json")], new ImportLimits(), TestContext.Current.CancellationToken));

        Assert.StartsWith("endsong_9.json: cannot be read: ", missing.Message, StringComparison.Ordinal);
        Assert.StartsWith("Userdata.json: not a Spotify streaming history file", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploads_that_cannot_seek_are_spooled_and_read_and_the_upload_limit_counts_every_file()
    {
        var rows = new ExportGenerator(seed: 34).ExtendedRows(800, Start).ToList();
        var json = Json(rows);
        await using (var source = await ImportSource.OpenUploadsAsync(
            [("C:\\fakepath\\upload.json", new ForwardOnlyStream(json))], new ImportLimits(), TestContext.Current.CancellationToken))
        {
            var file = Assert.Single(source.Files);
            Assert.Equal(("upload.json", ImportFormat.ExtendedHistory, (long)json.Length), (file.Name, file.Format, file.Length));
            Assert.Equal(rows.Select((r, i) => r.Expected(i)), await ReadAllAsync(Readers.Registry().ReadAsync(file, TestContext.Current.CancellationToken)));
        }

        var limits = new ImportLimits { MaxUploadBytes = json.Length + 100 };
        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ImportSource.OpenUploadsAsync(
            [("a.json", new MemoryStream(json)), ("b.json", new ForwardOnlyStream(json))], limits, TestContext.Current.CancellationToken));
        Assert.Equal($"b.json: the upload is larger than {limits.MaxUploadBytes:N0} bytes (the limit)", error.Message);
    }

    [Fact]
    public async Task Our_own_export_is_routed_to_its_registered_reader_and_refused_without_one()
    {
        using var byName = new MemoryStream("""{"format":"orleans-spotify-plays","plays":[1,2,3]}"""u8.ToArray());
        using var byContent = new MemoryStream("""{"format":"orleans-spotify-plays","plays":[1,2]}"""u8.ToArray());
        await using var source = await ImportSource.OpenUploadsAsync(
            [("orleans-spotify-plays.json", byName), ("backup.json", byContent)], new ImportLimits(), TestContext.Current.CancellationToken);
        Assert.All(source.Files, f => Assert.Equal(ImportFormat.OrleansSpotify, f.Format));

        var options = Options.Create(new ImportLimits());
        var withOwn = new ImportReaders([new ExtendedHistoryReader(options), new AccountDataReader(options), new PlaysArrayLengthReader()]);
        var read = await ReadAllAsync(withOwn.ReadAsync(source.Files[0], TestContext.Current.CancellationToken));
        Assert.Equal(3, read.Count);

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAllAsync(Readers.Registry().ReadAsync(source.Files[1], TestContext.Current.CancellationToken)));
        Assert.Equal("backup.json: no reader for the OrleansSpotify format is installed", error.Message);
        Assert.Throws<ArgumentException>(() => new ImportReaders([new ExtendedHistoryReader(options), new ExtendedHistoryReader(options)]));
    }

    private static byte[] Json(IEnumerable<ExtendedRow> rows)
    {
        using var file = new MemoryStream();
        ExportGenerator.WriteExtended(file, rows);
        return file.ToArray();
    }

    private static async Task<List<ImportedPlay>> ReadAllAsync(IAsyncEnumerable<ImportedPlay> rows)
    {
        var list = new List<ImportedPlay>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }

    /// <summary>
    /// Stands in for Part E's reader of our own format only to prove the routing: it reads the top-level
    /// <c>plays</c> array's length with System.Text.Json and yields that many rows.
    /// </summary>
    private sealed class PlaysArrayLengthReader : IImportFormatReader
    {
        public ImportFormat Format => ImportFormat.OrleansSpotify;

        public async IAsyncEnumerable<ImportedPlay> ReadAsync(Stream stream, string fileName, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var document = await System.Text.Json.JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            var plays = document.RootElement.GetProperty("plays").GetArrayLength();
            for (var i = 0; i < plays; i++)
            {
                yield return new ImportedPlay(i, ImportedKind.Track, DateTimeOffset.UnixEpoch, 0, null, null, null, null, null, null);
            }
        }
    }

    /// <summary>A request body: reads forward only, no length, no seeking.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 7_000), content.Length - _position);
            Array.Copy(content, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
