using OrleansSpotify.Abstractions;
using OrleansSpotify.Testing;

namespace OrleansSpotify.Import.Tests;

public sealed class AccountDataReaderTests
{
    [Fact]
    public async Task Generated_music_and_podcast_files_read_back_at_minute_precision()
    {
        var extended = new ExportGenerator(seed: 11).ExtendedRows(3_000, new DateTimeOffset(2023, 3, 20, 0, 0, 0, TimeSpan.Zero)).ToList();
        var rows = ExportGenerator.AccountRowsFrom(extended).ToList();
        var music = rows.Where(r => !r.IsPodcast).ToList();
        var podcasts = rows.Where(r => r.IsPodcast).ToList();
        Assert.NotEmpty(podcasts);

        var readMusic = await ReadAsync(music, "StreamingHistory_music_0.json");
        var readPodcasts = await ReadAsync(podcasts, "StreamingHistory_podcast_0.json");

        Assert.Equal(music.Select((r, i) => r.Expected(i)), readMusic);
        Assert.Equal(podcasts.Select((r, i) => r.Expected(i)), readPodcasts);
        Assert.All(readMusic, r => Assert.Equal(0, r.EndedAt.Ticks % TimeSpan.TicksPerMinute));
        Assert.All(readMusic, r => Assert.Equal((ImportedKind.Track, (string?)null, TimeSpan.Zero), (r.Kind, r.Uri, r.EndedAt.Offset)));
        Assert.All(readPodcasts, r => Assert.Equal(ImportedKind.Episode, r.Kind));
    }

    [Fact]
    public async Task Rows_are_read_as_utc_end_times_across_a_daylight_saving_change()
    {
        const string Json = """
            [
              {"endTime":"2023-03-26 00:59","artistName":"Sigur Rós","trackName":"Hoppípolla","msPlayed":268000},
              {"endTime":"2023-03-26 01:03","artistName":"Sigur Rós","trackName":"Glósóli","msPlayed":12000},
              {"endTime":"2023-03-26 02:30:15","podcastName":"Night Talk","episodeName":"#1","msPlayed":1800000}
            ]
            """;

        var read = await Readers.ReadAsync(Readers.Account(), Json, "StreamingHistory0.json");

        Assert.Equal(
            [
                new ImportedPlay(0, ImportedKind.Track, new DateTimeOffset(2023, 3, 26, 0, 59, 0, TimeSpan.Zero), 268_000, null, "Hoppípolla", "Sigur Rós", null, null, null),
                new ImportedPlay(1, ImportedKind.Track, new DateTimeOffset(2023, 3, 26, 1, 3, 0, TimeSpan.Zero), 12_000, null, "Glósóli", "Sigur Rós", null, null, null),
                new ImportedPlay(2, ImportedKind.Episode, new DateTimeOffset(2023, 3, 26, 2, 30, 15, TimeSpan.Zero), 1_800_000, null, "#1", "Night Talk", "Night Talk", null, null),
            ],
            read);
    }

    [Theory]
    [InlineData("""[{"endTime":"2023-03-26T00:59:00Z","artistName":"A","trackName":"B","msPlayed":1}]""", 0L, "endTime is not a date (yyyy-MM-dd HH:mm)")]
    [InlineData("""[{"endTime":"2023-13-01 00:59","artistName":"A","trackName":"B","msPlayed":1}]""", 0L, "endTime is not a date (yyyy-MM-dd HH:mm)")]
    [InlineData("""[{"endTime":"2023-03-01 00:59","artistName":"A","trackName":"B"}]""", 0L, "has no msPlayed")]
    [InlineData("""[{"endTime":"2023-03-01 00:59","msPlayed":1},{"ts":"2021-01-01T00:00:00Z","ms_played":1}]""", 1L, "has no endTime but ts/ms_played: this is extended streaming history (Streaming_History_Audio_*.json), not account data")]
    [InlineData("""[{"endTime":"2023-03-01 00:59","msPlayed":1,"artistName":["A"]}]""", 0L, "artistName is not a string")]
    [InlineData("""{"username":"listener"}""", null, "not a JSON array of streams (not account data)")]
    [InlineData("""[{"endTime":"2023-03-01 00:59","msPlayed":1}""", null, "the file ends after 1 records without closing its array (truncated)")]
    public async Task Bad_files_fail_with_the_file_and_record(string json, long? record, string reason)
    {
        var (_, error) = await Readers.ReadUntilErrorAsync(Readers.Account(), json, "StreamingHistory_music_0.json");

        Assert.Equal((record, reason), (error.Record, error.Reason));
        Assert.Equal("StreamingHistory_music_0.json", error.File);
    }

    private static async Task<List<ImportedPlay>> ReadAsync(IEnumerable<AccountRow> rows, string name)
    {
        using var file = new MemoryStream();
        ExportGenerator.WriteAccount(file, rows);
        return await Readers.ReadAsync(Readers.Account(), file.ToArray(), name);
    }
}
