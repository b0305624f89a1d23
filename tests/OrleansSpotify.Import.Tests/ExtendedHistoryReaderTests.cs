using System.Text;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Import.Tests;

public sealed class ExtendedHistoryReaderTests
{
    private static readonly DateTimeOffset Start2022 = new(2022, 9, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_generated_audio_file_reads_back_every_row_as_written_with_every_edge_present()
    {
        var rows = new ExportGenerator(seed: 1).ExtendedRows(10_000, new DateTimeOffset(2023, 3, 1, 0, 0, 0, TimeSpan.Zero)).ToList();
        var traits = rows.Aggregate(RowTraits.None, (all, row) => all | row.Traits);
        foreach (var edge in new[] { RowTraits.NoNames, RowTraits.LocalFile, RowTraits.Overlapping, RowTraits.Duplicate, RowTraits.CrossesDst, RowTraits.OfflineMilliseconds, RowTraits.OfflineNonsense, RowTraits.Short, RowTraits.Video })
        {
            Assert.True(traits.HasFlag(edge), $"the generated rows have no {edge} row");
        }

        Assert.Contains(rows, r => r.Kind == ImportedKind.Episode);
        Assert.Contains(rows, r => r.Kind == ImportedKind.Audiobook);
        Assert.Contains(rows, r => r.OfflineTimestamp is not null && !r.Traits.HasFlag(RowTraits.OfflineMilliseconds) && !r.Traits.HasFlag(RowTraits.OfflineNonsense));

        using var file = new MemoryStream();
        ExportGenerator.WriteExtended(file, rows);
        var read = await Readers.ReadAsync(Readers.Extended(), file.ToArray());

        Assert.Equal(rows.Count, read.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Expected(i), read[i]);
        }
    }

    [Fact]
    public async Task An_endsong_file_of_the_old_dialect_reads_the_same_fields_and_never_the_ip_or_user_agent()
    {
        var rows = new ExportGenerator(seed: 2).ExtendedRows(2_000, new DateTimeOffset(2016, 2, 1, 0, 0, 0, TimeSpan.Zero), ExtendedDialect.Endsong).ToList();
        using var file = new MemoryStream();
        ExportGenerator.WriteExtended(file, rows, ExtendedDialect.Endsong);
        var text = Encoding.UTF8.GetString(file.ToArray());
        Assert.Contains("\"username\"", text, StringComparison.Ordinal);
        Assert.Contains("\"user_agent_decrypted\"", text, StringComparison.Ordinal);
        Assert.Contains("\"ip_addr_decrypted\"", text, StringComparison.Ordinal);

        var read = await Readers.ReadAsync(Readers.Extended(), file.ToArray(), "endsong_0.json");

        Assert.Equal(rows.Select((r, i) => r.Expected(i)), read);
        Assert.DoesNotContain(read, r => r.Kind == ImportedKind.Audiobook);
        var secrets = rows.SelectMany(r => new[] { r.IpAddress, r.UserAgent, "listener-1990" }).ToHashSet();
        Assert.DoesNotContain(read, r => StringsOf(r).Any(secrets.Contains));
    }

    [Fact]
    public async Task A_pretty_printed_file_reads_the_same_as_a_compact_one()
    {
        var rows = new ExportGenerator(seed: 5).ExtendedRows(3_000, Start2022).ToList();
        using var compact = new MemoryStream();
        using var indented = new MemoryStream();
        ExportGenerator.WriteExtended(compact, rows);
        ExportGenerator.WriteExtended(indented, rows, indented: true);
        Assert.True(indented.Length > compact.Length + (rows.Count * 20));

        var fromIndented = await Readers.ReadAsync(Readers.Extended(), indented.ToArray());

        Assert.Equal(await Readers.ReadAsync(Readers.Extended(), compact.ToArray()), fromIndented);
        Assert.Equal(rows.Select((r, i) => r.Expected(i)), fromIndented);
    }

    [Fact]
    public async Task Music_podcast_audiobook_and_nameless_rows_become_their_kinds()
    {
        const string Json = """
            [
              {"ts":"2021-03-28T00:59:58Z","platform":"android","ms_played":215000,"conn_country":"DE","ip_addr":"10.1.2.3",
               "master_metadata_track_name":"Hoppípolla","master_metadata_album_artist_name":"Sigur Rós","master_metadata_album_album_name":"Takk...",
               "spotify_track_uri":"spotify:track:6eTGxxQxiTFE6LfZHC33Wm","episode_name":null,"episode_show_name":null,"spotify_episode_uri":null,
               "reason_start":"trackdone","reason_end":"trackdone","shuffle":false,"skipped":null,"offline":false,"offline_timestamp":1616893183000,"incognito_mode":false},
              {"ts":"2025-04-28T21:04:32Z","platform":"ios","ms_played":1804000,"master_metadata_track_name":null,"master_metadata_album_artist_name":null,
               "master_metadata_album_album_name":null,"spotify_track_uri":null,"episode_name":"#212: The Long Night","episode_show_name":"Night Talk",
               "spotify_episode_uri":"spotify:episode:0aBcDeFgHiJkLmNoPqRsTu","audiobook_title":null,"audiobook_uri":null,"audiobook_chapter_uri":null,
               "audiobook_chapter_title":null,"reason_start":"clickrow","reason_end":"endplay","shuffle":null,"skipped":false,"offline":true,
               "offline_timestamp":1745874272,"incognito_mode":true},
              {"ts":"2025-05-01T08:00:00Z","platform":"windows","ms_played":600000,"master_metadata_track_name":null,"spotify_track_uri":null,
               "episode_name":null,"spotify_episode_uri":null,"audiobook_title":"Moby-Dick","audiobook_uri":"spotify:show:1aBcDeFgHiJkLmNoPqRsTu",
               "audiobook_chapter_uri":"spotify:episode:2aBcDeFgHiJkLmNoPqRsTu","audiobook_chapter_title":"Chapter 1: Loomings",
               "reason_start":"playbtn","reason_end":"logout","shuffle":false,"skipped":false,"offline":false,"offline_timestamp":3,"incognito_mode":false},
              {"ts":"2019-11-05T14:27:51Z","platform":"Windows 10 (10.0.17134; x64)","ms_played":0,"master_metadata_track_name":null,
               "master_metadata_album_artist_name":null,"master_metadata_album_album_name":null,"spotify_track_uri":null,"episode_name":null,
               "episode_show_name":null,"spotify_episode_uri":null,"reason_start":"unknown","reason_end":"unknown","shuffle":false,"skipped":null,
               "offline":false,"offline_timestamp":0,"incognito_mode":false}
            ]
            """;

        var read = await Readers.ReadAsync(Readers.Extended(), Json);

        Assert.Equal(
            [
                new ImportedPlay(0, ImportedKind.Track, new DateTimeOffset(2021, 3, 28, 0, 59, 58, TimeSpan.Zero), 215_000, "spotify:track:6eTGxxQxiTFE6LfZHC33Wm",
                    "Hoppípolla", "Sigur Rós", "Takk...",
                    new ListeningDetails("trackdone", "trackdone", false, null, false, DateTimeOffset.FromUnixTimeMilliseconds(1616893183000), false, "android"), null),
                new ImportedPlay(1, ImportedKind.Episode, new DateTimeOffset(2025, 4, 28, 21, 4, 32, TimeSpan.Zero), 1_804_000, "spotify:episode:0aBcDeFgHiJkLmNoPqRsTu",
                    "#212: The Long Night", "Night Talk", "Night Talk",
                    new ListeningDetails("clickrow", "endplay", null, false, true, DateTimeOffset.FromUnixTimeSeconds(1745874272), true, "ios"), null),
                new ImportedPlay(2, ImportedKind.Audiobook, new DateTimeOffset(2025, 5, 1, 8, 0, 0, TimeSpan.Zero), 600_000, "spotify:episode:2aBcDeFgHiJkLmNoPqRsTu",
                    "Chapter 1: Loomings", null, "Moby-Dick",
                    new ListeningDetails("playbtn", "logout", false, false, false, null, false, "windows"), null),
                new ImportedPlay(3, ImportedKind.Track, new DateTimeOffset(2019, 11, 5, 14, 27, 51, TimeSpan.Zero), 0, null, null, null, null,
                    new ListeningDetails("unknown", "unknown", false, null, false, null, false, "Windows 10 (10.0.17134; x64)"), null),
            ],
            read);
    }

    [Theory]
    [InlineData(1616893183000L, "2021-03-28T00:59:43+00:00")]
    [InlineData(1745874272L, "2025-04-28T21:04:32+00:00")]
    [InlineData(100_000_000_000L, "1973-03-03T09:46:40+00:00")]
    [InlineData(946_684_800L, "2000-01-01T00:00:00+00:00")]
    [InlineData(946_684_799L, null)]
    [InlineData(0L, null)]
    [InlineData(-5L, null)]
    [InlineData(4_102_444_800_001L, null)]
    public void Offline_timestamp_unit_is_told_by_magnitude(long raw, string? expected) =>
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), OfflineTimestamp.FromEpoch(raw));

    [Fact]
    public async Task Escaped_names_and_values_a_byte_order_mark_and_other_ts_forms_are_read()
    {
        const string Json = "\uFEFF[{\"\\u0074s\":\"2021-06-01T10:00:00.000+02:00\",\"ms_played\":31000,\"master_metadata_track_name\":\"Caf\\u00e9 \\\"Zur\\u00fcck\\\"\",\"spotify_track_uri\":\"spotify:track:x\",\"extra\":{\"nested\":[1,2,{\"a\":null}]}}]";

        var read = await Readers.ReadAsync(Readers.Extended(), Encoding.UTF8.GetBytes(Json));

        var row = Assert.Single(read);
        Assert.Equal(new DateTimeOffset(2021, 6, 1, 8, 0, 0, TimeSpan.Zero), row.EndedAt);
        Assert.Equal(TimeSpan.Zero, row.EndedAt.Offset);
        Assert.Equal("Café \"Zurück\"", row.Name);
    }

    [Fact]
    public async Task A_record_longer_than_the_buffer_is_read_and_one_past_the_record_limit_is_refused()
    {
        var longName = new string('a', 200_000);
        var json = $$"""[{"ts":"2021-01-01T00:00:00Z","ms_played":1,"master_metadata_track_name":"{{longName}}"},{"ts":"2021-01-01T00:00:01Z","ms_played":2}]""";

        var read = await Readers.ReadAsync(Readers.Extended(), json);
        Assert.Equal(longName, read[0].Name);
        Assert.Equal(2, read[1].MsPlayed);

        var (rows, error) = await Readers.ReadUntilErrorAsync(Readers.Extended(new ImportLimits { MaxRecordBytes = 128 * 1024 }), json);
        Assert.Empty(rows);
        Assert.Equal(0, error.Record);
        Assert.Contains("longer than 131,072 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_a_file_repeats_are_one_shared_string_and_escaped_or_invalid_values_read_as_without_sharing()
    {
        const string Row = """{"ts":"2021-03-01T10:00:00Z","ms_played":1000,"platform":"android","master_metadata_track_name":"Song","master_metadata_album_artist_name":"%ARTIST%","master_metadata_album_album_name":"Album","spotify_track_uri":"spotify:track:1","reason_start":"trackdone","reason_end":"trackdone"}""";
        var json = "[" + string.Join(",", Row.Replace("%ARTIST%", "Caf\u00e9 Band", StringComparison.Ordinal), Row.Replace("%ARTIST%", "Café Band", StringComparison.Ordinal), Row.Replace("%ARTIST%", "Café Band", StringComparison.Ordinal)) + "]";

        var read = await Readers.ReadAsync(Readers.Extended(), json);

        Assert.Equal(3, read.Count);
        Assert.All(read, row => Assert.Equal("Café Band", row.ArtistName));
        Assert.Same(read[1].ArtistName, read[2].ArtistName);
        Assert.Same(read[0].Uri, read[2].Uri);
        Assert.Same(read[0].Details!.Platform, read[1].Details!.Platform);

        // A name that is not UTF-8 fails the same way after a valid one was pooled: only values read before are shared.
        var good = Encoding.UTF8.GetBytes("[" + Row.Replace("%ARTIST%", "Band", StringComparison.Ordinal) + ",");
        var bad = Encoding.UTF8.GetBytes(Row.Replace("%ARTIST%", "Band__", StringComparison.Ordinal) + "]");
        var invalid = bad.AsSpan().IndexOf("__"u8);
        (bad[invalid], bad[invalid + 1]) = ((byte)0xC3, (byte)0x28);
        var alone = await Record.ExceptionAsync(() => Readers.ReadAsync(Readers.Extended(), [.. "["u8, .. bad]));
        var afterPooled = await Record.ExceptionAsync(() => Readers.ReadAsync(Readers.Extended(), [.. good, .. bad]));
        Assert.NotNull(alone);
        Assert.Equal(alone.GetType(), afterPooled?.GetType());
    }

    [Fact]
    public async Task An_empty_array_reads_no_rows()
    {
        Assert.Empty(await Readers.ReadAsync(Readers.Extended(), " [ ] \n"));
    }

    [Fact]
    public async Task A_bad_ts_throws_at_its_record_after_the_rows_before_it()
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, 17).Select(i => $$"""{"ts":"2021-01-01T00:00:{{i:00}}Z","ms_played":{{i}}}""")) + """,{"ts":"yesterday","ms_played":5},{"ts":"2021-01-01T00:01:00Z","ms_played":1}]""";

        var (rows, error) = await Readers.ReadUntilErrorAsync(Readers.Extended(), json);

        Assert.Equal(17, rows.Count);
        Assert.Equal("Streaming_History_Audio_2021.json, record 17: ts is not a date", error.Message);
        Assert.Equal("Streaming_History_Audio_2021.json", error.File);
        Assert.Equal(17, error.Record);
    }

    [Theory]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1},{"ts":"2021-01-01T00:00:01Z","ms_played":2,}]""", 1L, "malformed JSON")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1} {"ts":"2021-01-01T00:00:01Z","ms_played":2}]""", 1L, "malformed JSON")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1},{"ts":"2021-01-01T00:00:01Z","ms_pl""", 1L, "the file ends inside this record (truncated)")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1},""", null, "the file ends after 1 records without closing its array (truncated)")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1}] trailing""", null, "has data after the end of its array")]
    [InlineData("""[{"ts":"2021-02-30T00:00:00Z","ms_played":1}]""", 0L, "ts is not a date")]
    [InlineData("""[{"ts":1612137600,"ms_played":1}]""", 0L, "ts is not a date")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":-1}]""", 0L, "ms_played is negative")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":"1000"}]""", 0L, "ms_played is not a whole number of milliseconds")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1,"shuffle":"yes"}]""", 0L, "shuffle is not true, false or null")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1,"spotify_track_uri":42}]""", 0L, "spotify_track_uri is not a string")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1,"offline_timestamp":"x"}]""", 0L, "offline_timestamp is not a number")]
    [InlineData("""[{"ms_played":1}]""", 0L, "has no ts")]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z"}]""", 0L, "has no ms_played")]
    [InlineData("""[{"endTime":"2021-01-01 00:00","artistName":"A","trackName":"B","msPlayed":1}]""", 0L, "has no ts but endTime: this is an account-data file (StreamingHistory_music_*.json), not extended streaming history")]
    [InlineData("""[1,2]""", 0L, "is not a JSON object")]
    [InlineData("""{"tracks":[]}""", null, "not a JSON array of streams (not extended streaming history)")]
    [InlineData("", null, "is empty")]
    [InlineData("   \n ", null, "is empty")]
    [InlineData("%PDF-1.4", null, "malformed JSON")]
    public async Task Bad_files_fail_with_the_file_and_record(string json, long? record, string reason)
    {
        var (_, error) = await Readers.ReadUntilErrorAsync(Readers.Extended(), json, "endsong_3.json");

        Assert.Equal("endsong_3.json", error.File);
        Assert.Equal(record, error.Record);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith(record is { } r ? $"endsong_3.json, record {r}: " : "endsong_3.json: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generated_file_cut_anywhere_fails_as_truncated_after_yielding_only_whole_records()
    {
        var rows = new ExportGenerator(seed: 3).ExtendedRows(400, Start2022).ToList();
        using var file = new MemoryStream();
        ExportGenerator.WriteExtended(file, rows);
        var bytes = file.ToArray();
        var random = new Random(3);
        for (var attempt = 0; attempt < 25; attempt++)
        {
            var cut = random.Next(1, bytes.Length - 1);
            var (read, error) = await ReadCutAsync(bytes.AsMemory(0, cut).ToArray());

            Assert.Contains("truncated", error.Reason, StringComparison.Ordinal);
            Assert.Equal(rows.Take(read.Count).Select((r, i) => r.Expected(i)), read);
            Assert.True(error.Record is null || error.Record == read.Count, $"cut at {cut}: error at record {error.Record} after {read.Count} rows");
        }
    }

    [Fact]
    public async Task A_stream_that_trickles_a_few_bytes_a_read_reads_every_row()
    {
        var rows = new ExportGenerator(seed: 6).ExtendedRows(1_500, Start2022).ToList();
        using var file = new MemoryStream();
        ExportGenerator.WriteExtended(file, rows);
        using var trickle = new TricklingStream(file.ToArray(), new Random(6));

        var read = await Readers.ReadAsync(Readers.Extended(), trickle, "Streaming_History_Audio_2022.json");

        Assert.Equal(rows.Select((r, i) => r.Expected(i)), read);
        Assert.True(trickle.Reads > 1_000, $"{trickle.Reads} reads");
    }

    [Fact]
    public async Task Cancellation_stops_the_read()
    {
        var rows = new ExportGenerator(seed: 4).ExtendedRows(5_000, Start2022).ToList();
        using var file = new MemoryStream();
        ExportGenerator.WriteExtended(file, rows);
        file.Position = 0;
        using var cancellation = new CancellationTokenSource();
        var count = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var row in Readers.Extended().ReadAsync(file, "x.json", cancellation.Token))
            {
                if (++count == 10)
                {
                    await cancellation.CancelAsync();
                }
            }
        });
        Assert.True(count < rows.Count);
    }

    private static async Task<(List<ImportedPlay> Rows, ImportFormatException Error)> ReadCutAsync(byte[] content)
    {
        var rows = new List<ImportedPlay>();
        using var stream = new MemoryStream(content);
        try
        {
            await foreach (var row in Readers.Extended().ReadAsync(stream, "cut.json", TestContext.Current.CancellationToken))
            {
                rows.Add(row);
            }
        }
        catch (ImportFormatException exception)
        {
            return (rows, exception);
        }

        throw new Xunit.Sdk.XunitException($"A file cut to {content.Length} bytes was read to its end.");
    }

    /// <summary>Hands out 1–97 bytes a read, like a slow request body.</summary>
    private sealed class TricklingStream(byte[] content, Random random) : Stream
    {
        private int _position;

        public int Reads { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            var n = Math.Min(Math.Min(buffer.Length, random.Next(1, 98)), content.Length - _position);
            content.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static IEnumerable<string> StringsOf(ImportedPlay row) =>
        new[] { row.Uri, row.Name, row.ArtistName, row.CollectionName, row.Details?.Platform, row.Details?.ReasonStart, row.Details?.ReasonEnd }.OfType<string>();
}
