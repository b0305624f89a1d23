using System.Collections.Immutable;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Import;
using OrleansSpotify.Import.OwnFormat;
using OrleansSpotify.Storage.Export;

namespace OrleansSpotify.Storage.Tests.Export;

/// <summary>
/// The export writers over a real SQLite file: CSV as RFC 4180 says, the json document read back by our own
/// importer's reader play for play, the ListenBrainz zip's shape, and constant memory over 200,000 plays.
/// </summary>
public sealed class PlayExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ExportAccount Alex = new("alex", "Alex, \"the\" DJ");

    private static readonly TrackInfo Quoted = TestDatabase.Track("a", "Say \"Hi\", then go", "Björk", "Ólafur Arnalds", "Sigur Rós") with { Explicit = true };

    private static readonly TrackInfo Multiline = TestDatabase.Track("b", "Line\r\nbreak\nand\rreturn", "近藤浩治") with { Album = null, Isrc = null };

    private static readonly TrackInfo Local = new(
        "spotify:local:Home+Band:Tapes:Kitchen%2C+Demo:215", null, "Kitchen, Demo 🎧", 215_000, false, true, null,
        null, [new ArtistInfo(null, "Home Band"), new ArtistInfo(null, "Guest, Singer")]);

    private static readonly TrackInfo NoArtists = TestDatabase.Track("c", "Untitled") with { Artists = [] };

    /// <summary>Plays of every shape: time played reported or not, contexts or none, every source, ms-precise times.</summary>
    private static readonly PlayRecord[] Plays =
    [
        new(TestDatabase.T0.AddMilliseconds(123), Quoted, null, "spotify:playlist:p1", "playlist", PlaySource.RecentlyPlayed),
        new(TestDatabase.T0.AddMinutes(4).AddMilliseconds(7), Multiline, 61_234, null, null, PlaySource.ImportExtendedHistory),
        new(TestDatabase.T0.AddMinutes(9), Local, 0, "spotify:album:x", null, PlaySource.ImportAccountData),
        new(TestDatabase.T0.AddMinutes(12), NoArtists, 29_999, "spotify:artist:z", "artist", PlaySource.RecentlyPlayed),
        new(TestDatabase.T0.AddMinutes(15), Quoted, 200_000, null, null, PlaySource.ImportExtendedHistory),
    ];

    [Fact]
    public async Task CsvQuotesCommasQuotesAndLineBreaksAndKeepsUtf8()
    {
        using var db = Seeded();
        var bytes = await ExportAsync(db, ExportFormat.Csv, [Alex]);

        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte-order mark");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        Assert.StartsWith(string.Join(',', CsvPlayWriter.Columns) + "\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.Contains(",\"Say \"\"Hi\"\", then go\",Björk,Björk; Ólafur Arnalds; Sigur Rós,", text, StringComparison.Ordinal);
        Assert.Contains(",\"Line\r\nbreak\nand\rreturn\",近藤浩治,", text, StringComparison.Ordinal);
        Assert.Contains("alex,\"Alex, \"\"the\"\" DJ\",", text, StringComparison.Ordinal);
        Assert.Equal("\"a,b\"", CsvPlayWriter.Escape("a,b"));
        Assert.Equal("plain ü", CsvPlayWriter.Escape("plain ü"));
        Assert.Equal("\"\"\"\"", CsvPlayWriter.Escape("\""));

        // Parsed back as RFC 4180, every field is what was stored.
        var rows = ParseCsv(text);
        Assert.Equal(Plays.Length + 1, rows.Count);
        Assert.All(rows, r => Assert.Equal(CsvPlayWriter.Columns.Count, r.Count));
        var byTime = Plays.OrderBy(p => p.PlayedAt).ToList();
        for (var i = 0; i < byTime.Count; i++)
        {
            var row = CsvPlayWriter.Columns.Zip(rows[i + 1]).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal);
            var play = byTime[i];
            Assert.Equal("alex", row["account_id"]);
            Assert.Equal(Alex.DisplayName, row["account_name"]);
            Assert.Equal(play.PlayedAt, DateTimeOffset.Parse(row["played_at"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(play.MsPlayed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", row["ms_played"]);
            Assert.Equal(play.Track.Uri, row["track_uri"]);
            Assert.Equal(play.Track.SpotifyId ?? "", row["track_id"]);
            Assert.Equal(play.Track.Name, row["track_name"]);
            Assert.Equal(play.Track.Artists.FirstOrDefault()?.Name ?? "", row["artist_name"]);
            Assert.Equal(string.Join("; ", play.Track.Artists.Select(a => a.Name)), row["artists"]);
            Assert.Equal(play.Track.Album?.Name ?? "", row["album_name"]);
            Assert.Equal(play.Track.IsLocal ? "true" : "false", row["is_local"]);
            Assert.Equal(play.ContextUri ?? "", row["context_uri"]);
            Assert.Equal(PlaySourceNames.Name(play.Source), row["source"]);
        }
    }

    [Fact]
    public async Task TheJsonExportReadsBackAsEveryPlayExactly()
    {
        using var db = Seeded();
        var stored = new PlayExport(db.Database).Read([Alex], ExportOrder.EndOfPlay, Ct).Select(p => p.Play).ToList();
        Assert.Equal(Plays.OrderBy(p => p.PlayedAt).Select(Canon), stored.Select(Canon));

        var bytes = await ExportAsync(db, ExportFormat.Json, [Alex]);
        using (var document = JsonDocument.Parse(bytes))
        {
            Assert.Equal("format", document.RootElement.EnumerateObject().First().Name);
            Assert.Equal(JsonPlayWriter.FormatName, document.RootElement.GetProperty("format").GetString());
            Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("accounts")[0].GetProperty("plays")[0].GetProperty("msPlayed").ValueKind);
        }

        // In one read, in reads of 7 bytes (the reader's buffer refilled mid-token, mid-play), and byte by byte after a BOM.
        byte[] withBom = [.. Encoding.UTF8.Preamble, .. bytes];
        foreach (var stream in new Stream[] { new MemoryStream(bytes), new TrickleStream(bytes, 7), new TrickleStream(withBom, 1) })
        {
            var read = await ReadAllAsync(stream, "orleans-spotify-alex-20261120.json");
            Assert.Equal(stored.Select(Canon), read.Select(p => Canon(p.Exact!)));
            Assert.Equal(Enumerable.Range(0, stored.Count).Select(i => (long)i), read.Select(p => p.Record));
            for (var i = 0; i < stored.Count; i++)
            {
                Assert.Equal(ImportedKind.Track, read[i].Kind);
                Assert.Equal(stored[i].PlayedAt, read[i].EndedAt);
                Assert.Equal(stored[i].MsPlayed ?? stored[i].Track.DurationMs, read[i].MsPlayed);
                Assert.Equal(stored[i].Track.Uri, read[i].Uri);
                Assert.Equal(stored[i].Track.Name, read[i].Name);
                Assert.Equal(stored[i].Track.Artists.FirstOrDefault()?.Name, read[i].ArtistName);
                Assert.Equal(stored[i].Track.Album?.Name, read[i].CollectionName);
            }
        }
    }

    [Fact]
    public async Task AHugePlayGrowsTheReadersBufferAndAnEmptyAccountIsADocumentWithoutPlays()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        db.Accounts.Upsert("sam", "sam", "Sam", TestDatabase.T0, TestDatabase.T0);
        using (var writer = new PlayWriter(db.Database))
        {
            writer.Write([new PendingPlay("alex", TestDatabase.Play(TestDatabase.Track("h", new string('é', 150_000)), TestDatabase.T0))]);
        }

        var huge = await ReadAllAsync(new TrickleStream(await ExportAsync(db, ExportFormat.Json, [Alex]), 4096), "big.json");
        Assert.Equal(150_000, Assert.Single(huge).Name!.Length);

        Assert.Empty(await ReadAllAsync(new MemoryStream(await ExportAsync(db, ExportFormat.Json, [new ExportAccount("sam", "Sam")])), "empty.json"));
    }

    [Theory]
    [InlineData("""{"format":"orleans-spotify-plays","version":1,"accounts":[{"id":"a","displayName":"A","plays":[{"playedAt":"2026-11-20T08:00:00.000Z","msPlayed":null,"source":"recently-played","context":null,"track":{"uri":"spotify:track:x","name":"X","durationMs":1,"artists":[]}},{"playedAt":"yesterday","source":"recently-played","track":{"uri":"spotify:track:x","name":"X","durationMs":1}}]}]}""", 1L, "playedAt 'yesterday' is not a date-time")]
    [InlineData("""{"format":"orleans-spotify-plays","accounts":[{"plays":[{"playedAt":"2026-11-20T08:00:00Z","source":"scrobbled","track":{"uri":"u","name":"n","durationMs":1}}]}]}""", 0L, "source 'scrobbled'")]
    [InlineData("""{"format":"orleans-spotify-plays","accounts":[{"plays":[{"playedAt":"2026-11-20T08:00:00Z","source":"recently-played","track":{"uri":"u","name":"n","durationMs":"long"}}]}]}""", 0L, "wrong type")]
    [InlineData("""{"format":"orleans-spotify-plays","accounts":[{"plays":[{"playedAt":"2026-11-20T08:00:00Z","source":"recently-played","track":{"uri":"u","durationMs":1}}]}]}""", 0L, "track.name is missing")]
    [InlineData("""{"format":"orleans-spotify-plays","accounts":[{"plays":[{"playedAt":"2026-11-20T08:00:00Z","source":"recently-played","track":{"uri":"u","name":"n","durationMs":1}}, {"playedAt":""" , 1L, "ends early")]
    [InlineData("""{"format":"orleans-spotify-plays","accounts":[{"plays":[{"playedAt":"2026-11-20T08:00:00Z",,}]}]}""" , 0L, "malformed JSON")]
    [InlineData("""{"format":"orleans-spotify-plays","accounts":[{"plays":[]}""", null, "ends early")]
    [InlineData("""{"format":"something-else","accounts":[]}""", null, "not an orleans-spotify-plays document")]
    [InlineData("", null, "ends early")]
    [InlineData("\uFEFF", null, "ends early")]
    [InlineData("""{"accounts":[],"format":"orleans-spotify-plays"}""", null, "no \"format\"")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1}]""", null, "does not start with an object")]
    [InlineData("""{"format":"orleans-spotify-plays","version":2,"accounts":[]}""", null, "version 2")]
    [InlineData("""{"format":"orleans-spotify-plays","accounts":[{"plays":[]},{"plays":[]}]}""", null, "more than one account")]
    [InlineData("""{"format":"orleans-spotify-plays","accounts":[{"plays":[]}]} {}""", null, "after the document's end")]
    [InlineData("""{"format":"orleans-spotify-plays","accounts":[{"plays":[]}]}  \n\n x""", null, "after the document's end")]
    public async Task ABadDocumentThrowsNamingTheFileAndThePlay(string json, long? record, string reason)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        foreach (var stream in new Stream[] { new MemoryStream(bytes), new TrickleStream(bytes, 3) })
        {
            var error = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAllAsync(stream, "orleans-spotify-x.json"));
            Assert.Equal("orleans-spotify-x.json", error.File);
            Assert.Equal(record, error.Record);
            Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
            Assert.StartsWith(record is { } r ? $"orleans-spotify-x.json, record {r}: " : "orleans-spotify-x.json: ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheListenBrainzZipHasAMonthFileAListenALineAndTheStartOfEachPlay()
    {
        using var db = Seeded();
        // A play that ends just after midnight on 1 February UTC started in January: it goes to January's file.
        var january = new PlayRecord(new DateTimeOffset(2026, 2, 1, 0, 1, 0, TimeSpan.Zero), Quoted, 180_000, null, null, PlaySource.RecentlyPlayed);
        var estimated = new PlayRecord(new DateTimeOffset(2026, 2, 1, 0, 2, 0, TimeSpan.Zero), Multiline, null, null, null, PlaySource.RecentlyPlayed);
        using (var writer = new PlayWriter(db.Database))
        {
            writer.Write([new PendingPlay("alex", january), new PendingPlay("alex", estimated)]);
        }

        var bytes = await ExportAsync(db, ExportFormat.ListenBrainz, [Alex]);
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(["listens/2026/1.jsonl", "listens/2026/11.jsonl"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        var lines = zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal)
            .SelectMany(e => new StreamReader(e.Open()).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToList();
        var expected = new[] { january, estimated }.Concat(Plays.OrderBy(p => p.PlayedAt)).ToList();
        Assert.Equal(expected.Count, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var play = expected[i];
            var line = lines[i];
            Assert.Equal(["listened_at", "track_metadata"], line.EnumerateObject().Select(p => p.Name));
            var start = play.PlayedAt.ToUnixTimeMilliseconds() - (play.MsPlayed ?? play.Track.DurationMs);
            Assert.Equal(start / 1000, line.GetProperty("listened_at").GetInt64());
            var metadata = line.GetProperty("track_metadata");
            Assert.Equal(play.Track.Artists.IsEmpty ? "[unknown]" : string.Join(", ", play.Track.Artists.Select(a => a.Name)), metadata.GetProperty("artist_name").GetString());
            Assert.Equal(play.Track.Name, metadata.GetProperty("track_name").GetString());
            Assert.Equal(play.Track.Album?.Name, metadata.TryGetProperty("release_name", out var release) ? release.GetString() : null);
            var info = metadata.GetProperty("additional_info");
            Assert.Equal(play.Track.DurationMs, info.GetProperty("duration_ms").GetInt64());
            Assert.Equal(play.Track.Artists.Select(a => a.Name), info.GetProperty("artist_names").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal(play.Track.IsLocal ? null : "https://open.spotify.com/track/" + play.Track.SpotifyId, info.TryGetProperty("spotify_id", out var id) ? id.GetString() : null);
            Assert.Equal(play.Track.Isrc, info.TryGetProperty("isrc", out var isrc) ? isrc.GetString() : null);
            Assert.Equal("spotify.com", info.GetProperty("music_service").GetString());
            Assert.Equal(ListenBrainzZipWriter.SubmissionClient, info.GetProperty("submission_client").GetString());
        }

        Assert.Equal(lines.Select(l => l.GetProperty("listened_at").GetInt64()).Order(), lines.Select(l => l.GetProperty("listened_at").GetInt64()));
        Assert.Equal("listens/2026/1.jsonl", ListenBrainzZipWriter.EntryName(ListenBrainzZipWriter.ListenedAt(january)));
    }

    [Fact]
    public async Task AHouseholdListenBrainzExportIsAZipOfEachMembersZip()
    {
        using var db = Seeded();
        db.Accounts.Upsert("sam", "sam", "Sam", TestDatabase.T0, TestDatabase.T0);
        db.Accounts.Upsert("kim", "kim", "Kim", TestDatabase.T0, TestDatabase.T0);
        using (var writer = new PlayWriter(db.Database))
        {
            writer.Write([new PendingPlay("kim", TestDatabase.Play(Quoted, new DateTimeOffset(2025, 3, 9, 12, 0, 0, TimeSpan.Zero)))]);
        }

        var bytes = await ExportAsync(db, ExportFormat.ListenBrainz, [Alex, new ExportAccount("sam", "Sam"), new ExportAccount("kim", "Kim")], household: true);
        using var outer = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(["listenbrainz_alex.zip", "listenbrainz_sam.zip", "listenbrainz_kim.zip"], outer.Entries.Select(e => e.FullName));
        string[] Inner(int i)
        {
            using var copy = new MemoryStream();
            outer.Entries[i].Open().CopyTo(copy);
            using var inner = new ZipArchive(new MemoryStream(copy.ToArray()), ZipArchiveMode.Read);
            return [.. inner.Entries.Select(e => e.FullName)];
        }

        Assert.Equal(["listens/2026/11.jsonl"], Inner(0));
        Assert.Empty(Inner(1));
        Assert.Equal(["listens/2025/3.jsonl"], Inner(2));

        // A household of one (the only member who shares) is still a zip of zips; an account's export never is.
        using var alone = new ZipArchive(new MemoryStream(await ExportAsync(db, ExportFormat.ListenBrainz, [Alex], household: true)), ZipArchiveMode.Read);
        Assert.Equal(["listenbrainz_alex.zip"], alone.Entries.Select(e => e.FullName));
        await Assert.ThrowsAsync<ArgumentException>(() => ExportAsync(db, ExportFormat.ListenBrainz, [Alex, new ExportAccount("sam", "Sam")]));
    }

    [Fact]
    public async Task TwoHundredThousandPlaysAreExportedHoldingAboutOneFlushOfBytes()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        const int Count = 200_000;
        var tracks = Enumerable.Range(0, 2_000).Select(i => TestDatabase.Track("t" + i, "Track " + i, "Artist " + (i % 300), "Guest " + (i % 7))).ToArray();
        using (var writer = new PlayWriter(db.Database))
        {
            for (var batch = 0; batch < Count; batch += 10_000)
            {
                writer.Write([.. Enumerable.Range(batch, 10_000).Select(i => new PendingPlay("alex", new PlayRecord(
                    TestDatabase.T0.AddSeconds(-200L * i), tracks[i % tracks.Length], i % 3 == 0 ? null : 100_000 + i, "spotify:playlist:p" + (i % 50), "playlist", PlaySource.RecentlyPlayed)))]);
            }
        }

        var export = new PlayExport(db.Database);
        var document = new ExportDocument([Alex], TestDatabase.T0, "1.0.0");
        var query = Stopwatch.StartNew();
        Assert.Equal(Count, export.Read(document.Accounts, ExportOrder.EndOfPlay, Ct).Count());
        TestContext.Current.TestOutputHelper?.WriteLine($"reading alone: {Count} plays in {query.Elapsed.TotalSeconds:F2} s ({Count / query.Elapsed.TotalSeconds:F0} plays/s)");
        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            var writer = PlayExportWriter.For(format);
            var output = new CountingStream();
            var clock = Stopwatch.StartNew();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var summary = await writer.WriteAsync(document, export.Read(document.Accounts, writer.Order, Ct), output, Ct);
            clock.Stop();

            Assert.Equal(Count, summary.Plays);
            Assert.Equal(output.Length, summary.Bytes);
            Assert.True(summary.Bytes > 5_000_000, $"{format}: only {summary.Bytes} bytes");
            // Sent on every 64 KB: never more than one flush and one play (or one deflate block) held.
            Assert.True(summary.MaxHeldBytes <= 2 * ExportSink.FlushThreshold, $"{format}: {summary.MaxHeldBytes} bytes held at once");
            Assert.True(output.Writes >= summary.Bytes / (2 * ExportSink.FlushThreshold), $"{format}: {output.Writes} writes for {summary.Bytes} bytes");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{format}: {Count} plays, {summary.Bytes / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F2} s ({Count / clock.Elapsed.TotalSeconds:F0} plays/s), " +
                $"at most {summary.MaxHeldBytes / 1024} KB held, {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / Count} bytes allocated per play");
        }

        // The json export read back from a file by the importer's reader: every play, in order, at its own pace.
        var path = Path.Combine(db.Directory, "orleans-spotify-alex.json");
        await using (var file = File.Create(path))
        {
            var json = PlayExportWriter.For(ExportFormat.Json);
            await json.WriteAsync(document, export.Read(document.Accounts, json.Order, Ct), file, Ct);
        }

        var reading = Stopwatch.StartNew();
        long read = 0;
        await using (var file = File.OpenRead(path))
        {
            await foreach (var play in new OrleansSpotifyExportReader().ReadAsync(file, "orleans-spotify-alex.json", Ct))
            {
                Assert.Equal(read++, play.Record);
            }
        }

        reading.Stop();
        Assert.Equal(Count, read);
        TestContext.Current.TestOutputHelper?.WriteLine($"json read back: {Count} plays in {reading.Elapsed.TotalSeconds:F2} s ({Count / reading.Elapsed.TotalSeconds:F0} plays/s)");
    }

    private static TestDatabase Seeded()
    {
        var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", Alex.DisplayName, TestDatabase.T0, TestDatabase.T0);
        using var writer = new PlayWriter(db.Database);
        writer.Write([.. Plays.Select(p => new PendingPlay("alex", p))]);
        return db;
    }

    private static async Task<byte[]> ExportAsync(TestDatabase db, ExportFormat format, IReadOnlyList<ExportAccount> accounts, bool household = false)
    {
        var writer = PlayExportWriter.For(format);
        var document = new ExportDocument(accounts, TestDatabase.T0, "1.0.0", household);
        using var output = new MemoryStream();
        await writer.WriteAsync(document, new PlayExport(db.Database).Read(accounts, writer.Order, Ct), output, Ct);
        return output.ToArray();
    }

    private static async Task<List<ImportedPlay>> ReadAllAsync(Stream stream, string name)
    {
        var plays = new List<ImportedPlay>();
        await foreach (var play in new OrleansSpotifyExportReader().ReadAsync(stream, name, Ct))
        {
            plays.Add(play);
        }

        return plays;
    }

    /// <summary>Every field of a play, in one string (records compare ImmutableArray by reference).</summary>
    private static string Canon(PlayRecord play) => JsonSerializer.Serialize(new
    {
        play.PlayedAt,
        Offset = play.PlayedAt.Offset,
        play.MsPlayed,
        play.ContextUri,
        play.ContextType,
        play.Source,
        play.Track.Uri,
        play.Track.SpotifyId,
        play.Track.Name,
        play.Track.DurationMs,
        play.Track.Explicit,
        play.Track.IsLocal,
        play.Track.Isrc,
        play.Track.Album,
        Artists = play.Track.Artists.ToArray(),
    });

    /// <summary>A strict RFC 4180 parser (quoted fields, doubled quotes, CRLF records).</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }
            }

            while (i < text.Length && text[i] is not (',' or '\r'))
            {
                Assert.NotEqual('"', text[i]);
                Assert.NotEqual('\n', text[i]);
                field.Append(text[i++]);
            }

            row.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            Assert.Equal("\r\n", text.Substring(i, 2));
            i += 2;
            rows.Add(row);
            row = [];
        }

        return rows;
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
    }

    /// <summary>Counts what is written and throws it away.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public int Writes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _length += count;
            Writes++;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            Writes++;
            return ValueTask.CompletedTask;
        }
    }
}
