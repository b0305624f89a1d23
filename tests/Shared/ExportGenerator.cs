using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Testing;

/// <summary>The shape of an extended-history file: which fields its rows carry.</summary>
public enum ExtendedDialect
{
    /// <summary>2024+ <c>Streaming_History_Audio_*.json</c>: no username or user agent, <c>ip_addr</c>, audiobook fields.</summary>
    Audio,

    /// <summary>Older <c>endsong_*.json</c>: <c>username</c>, <c>ip_addr_decrypted</c>, <c>user_agent_decrypted</c>, no audiobook fields.</summary>
    Endsong,
}

/// <summary>What a generated row is, beyond its kind: the edges the tests look for.</summary>
[Flags]
public enum RowTraits
{
    None = 0,

    /// <summary>Spotify's rows without URI and names (they exist in real exports).</summary>
    NoNames = 1,

    /// <summary>A local file: names, no URI.</summary>
    LocalFile = 2,

    /// <summary>Starts before the previous row ended (offline play, several devices).</summary>
    Overlapping = 4,

    /// <summary>A verbatim repeat of an earlier row of the same export.</summary>
    Duplicate = 8,

    /// <summary>Spans a daylight-saving change of Europe or the US (the instant lies between its start and end).</summary>
    CrossesDst = 16,

    /// <summary><c>offline_timestamp</c> written in milliseconds (else seconds, or a nonsense value).</summary>
    OfflineMilliseconds = 32,

    /// <summary><c>offline_timestamp</c> is a tiny nonsense number (no time).</summary>
    OfflineNonsense = 64,

    /// <summary>Under 30 s: a skip.</summary>
    Short = 128,

    /// <summary>An episode of a video podcast (goes to <c>Streaming_History_Video_*.json</c>).</summary>
    Video = 256,
}

/// <summary>One generated stream of an extended-history export, with every field as written.</summary>
public sealed record ExtendedRow(
    ImportedKind Kind,
    DateTimeOffset Ts,
    long MsPlayed,
    string Platform,
    string Country,
    string IpAddress,
    string UserAgent,
    string? TrackName,
    string? ArtistName,
    string? AlbumName,
    string? TrackUri,
    string? EpisodeName,
    string? ShowName,
    string? EpisodeUri,
    string? AudiobookTitle,
    string? AudiobookUri,
    string? ChapterUri,
    string? ChapterTitle,
    string ReasonStart,
    string ReasonEnd,
    bool? Shuffle,
    bool? Skipped,
    bool? Offline,
    long? OfflineTimestamp,
    bool Incognito,
    RowTraits Traits)
{
    /// <summary>When the stream began (end minus what was played).</summary>
    public DateTimeOffset Start => Ts - TimeSpan.FromMilliseconds(MsPlayed);

    /// <summary>The time <see cref="OfflineTimestamp"/> stands for, per the generator (null for nonsense values).</summary>
    public DateTimeOffset? OfflineAt => OfflineTimestamp is not { } raw || Traits.HasFlag(RowTraits.OfflineNonsense) ? null
        : Traits.HasFlag(RowTraits.OfflineMilliseconds) ? DateTimeOffset.FromUnixTimeMilliseconds(raw)
        : DateTimeOffset.FromUnixTimeSeconds(raw);

    /// <summary>The row as a reader must yield it at <paramref name="record"/> of its file.</summary>
    public ImportedPlay Expected(long record)
    {
        var details = new ListeningDetails(ReasonStart, ReasonEnd, Shuffle, Skipped, Offline, OfflineAt, Incognito, Platform);
        return Kind switch
        {
            ImportedKind.Episode => new ImportedPlay(record, Kind, Ts, MsPlayed, EpisodeUri, EpisodeName, ShowName, ShowName, details, null),
            ImportedKind.Audiobook => new ImportedPlay(record, Kind, Ts, MsPlayed, ChapterUri, ChapterTitle, null, AudiobookTitle, details, null),
            _ => new ImportedPlay(record, Kind, Ts, MsPlayed, TrackUri, TrackName, ArtistName, AlbumName, details, null),
        };
    }
}

/// <summary>One generated row of account data (music or podcast).</summary>
public sealed record AccountRow(DateTimeOffset EndTime, long MsPlayed, string? ArtistName, string? TrackName, string? PodcastName, string? EpisodeName)
{
    public bool IsPodcast => PodcastName is not null;

    public ImportedPlay Expected(long record) => IsPodcast
        ? new ImportedPlay(record, ImportedKind.Episode, EndTime, MsPlayed, null, EpisodeName, PodcastName, PodcastName, null, null)
        : new ImportedPlay(record, ImportedKind.Track, EndTime, MsPlayed, null, TrackName, ArtistName, null, null, null);
}

/// <summary>A generated file: its path inside the export (or zip) and its rows, in order.</summary>
public sealed record GeneratedFile<TRow>(string Name, IReadOnlyList<TRow> Rows);

/// <summary>
/// Writes realistic Spotify privacy exports from a seeded <see cref="Random"/>: extended streaming history
/// (<see cref="ExtendedDialect.Audio"/> and older <see cref="ExtendedDialect.Endsong"/> files, video files, the whole
/// export zip) and account data (music and podcast files, the account-data zip). The listening walks forward in
/// time through sessions and carries every edge the import must handle (<see cref="RowTraits"/>): rows without names,
/// local files, podcasts, audiobooks, both <c>offline_timestamp</c> units, overlapping streams, duplicates inside one
/// export, streams across daylight-saving changes, skips. Catalogue names carry diacritics, "feat." and
/// "- Remastered" suffixes. <see cref="WriteExtendedFile"/> streams any number of rows (1,000,000 in seconds).
/// </summary>
public sealed class ExportGenerator
{
    /// <summary>Where the old <c>platform</c> strings and ms <c>offline_timestamp</c> give way to the new (Spotify's change of 2023-10-19).</summary>
    public static readonly DateTimeOffset NewStyleFrom = new(2023, 10, 19, 0, 0, 0, TimeSpan.Zero);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false, SkipValidation = true };

    private static readonly string[] OldPlatforms =
    [
        "Android OS 9 API 28 (samsung, SM-G960F)", "iOS 15.4.1 (iPhone13,2)", "Windows 10 (10.0.19044; x64)", "OS X 12.3.1 [x86 8]",
        "web_player linux undefined;chrome 98.0.4758.102;desktop", "Partner sonos_ppc Sonos;Play:1;;",
    ];

    private static readonly string[] NewPlatforms = ["android", "ios", "windows", "osx", "linux", "not_applicable"];
    private static readonly string[] ReasonsStart = ["trackdone", "clickrow", "fwdbtn", "backbtn", "playbtn", "appload", "remote", "uriopen", "unknown"];
    private static readonly string[] ReasonsEnd = ["trackdone", "endplay", "fwdbtn", "backbtn", "logout", "remote", "unexpected-exit-while-paused", "unknown"];
    private static readonly string[] Countries = ["DE", "AT", "CH", "FR", "US", "GB", "SE"];

    private static readonly string[] Words =
    [
        "Night", "Golden", "River", "Échos", "Sommer", "Blue", "Fire", "Lights", "Heart", "Zürich", "Café", "Dreams", "Silver",
        "Ocean", "Ghost", "Wild", "Neon", "Ängel", "Rain", "Moon", "City", "Paper", "Glass", "Velvet", "Señorita", "Øresund",
    ];

    private readonly Random _random;
    private readonly Catalogue _catalogue;

    /// <param name="tracks">How many distinct tracks the listener plays.</param>
    public ExportGenerator(int seed, int tracks = 2_000)
    {
        _random = new Random(seed);
        _catalogue = new Catalogue(_random, tracks);
    }

    /// <summary>The Europe/US daylight-saving changes between 2010 and 2030 (UTC instants).</summary>
    public static IReadOnlyList<DateTimeOffset> DstChanges { get; } = BuildDstChanges();

    /// <summary>
    /// <paramref name="count"/> streams from <paramref name="start"/> on, lazily (constant memory). Audiobooks appear
    /// only from 2023 on and never in the <see cref="ExtendedDialect.Endsong"/> dialect.
    /// </summary>
    public IEnumerable<ExtendedRow> ExtendedRows(int count, DateTimeOffset start, ExtendedDialect dialect = ExtendedDialect.Audio)
    {
        var time = start;
        var dst = 0;
        while (dst < DstChanges.Count && DstChanges[dst] <= start)
        {
            dst++;
        }

        var recent = new List<ExtendedRow>(64);
        for (var i = 0; i < count; i++)
        {
            var roll = _random.NextDouble();
            ExtendedRow row;
            if (roll < 0.005 && recent.Count > 0)
            {
                row = recent[_random.Next(recent.Count)] with { };
                row = row with { Traits = row.Traits | RowTraits.Duplicate };
                yield return row;
                continue;
            }

            // Between sessions a gap of minutes to a day; within one the next stream starts as the last ends.
            time += _random.NextDouble() < 0.08 ? TimeSpan.FromMinutes(_random.Next(20, 1_440)) : TimeSpan.FromSeconds(_random.Next(0, 4));
            var traits = RowTraits.None;
            var kindRoll = _random.NextDouble();
            var kind = kindRoll < 0.05 ? ImportedKind.Episode
                : kindRoll < 0.06 && dialect == ExtendedDialect.Audio && time.Year >= 2023 ? ImportedKind.Audiobook
                : ImportedKind.Track;
            var msPlayed = kind == ImportedKind.Track ? _catalogue.NextPlayed(_random) : _random.Next(30_000, 3_600_000);
            if (msPlayed < 30_000)
            {
                traits |= RowTraits.Short;
            }

            var end = time + TimeSpan.FromMilliseconds(msPlayed);
            if (dst < DstChanges.Count && end >= DstChanges[dst])
            {
                // A stream across the change: it starts a little before the instant and ends after it.
                time = DstChanges[dst] - TimeSpan.FromMilliseconds(_random.Next(1_000, (int)Math.Max(2_000, msPlayed - 1_000)));
                end = time + TimeSpan.FromMilliseconds(msPlayed);
                traits |= RowTraits.CrossesDst;
                dst++;
                while (dst < DstChanges.Count && DstChanges[dst] <= end)
                {
                    dst++;
                }
            }
            else if (_random.NextDouble() < 0.01 && msPlayed > 10_000)
            {
                // Overlap: this stream started before the last one ended.
                end -= TimeSpan.FromMilliseconds(_random.Next(1_000, (int)Math.Min(msPlayed, 600_000)));
                traits |= RowTraits.Overlapping;
            }

            var ts = new DateTimeOffset(end.Ticks - (end.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var newStyle = ts >= NewStyleFrom;
            var offline = _random.NextDouble() < 0.1;
            long? offlineTimestamp = null;
            if (offline || _random.NextDouble() < 0.5)
            {
                var startedAt = ts - TimeSpan.FromMilliseconds(msPlayed);
                if (_random.NextDouble() < 0.02)
                {
                    offlineTimestamp = _random.Next(0, 100);
                    traits |= RowTraits.OfflineNonsense;
                }
                else if (newStyle)
                {
                    offlineTimestamp = startedAt.ToUnixTimeSeconds();
                }
                else
                {
                    offlineTimestamp = startedAt.ToUnixTimeMilliseconds();
                    traits |= RowTraits.OfflineMilliseconds;
                }
            }

            var platform = newStyle ? NewPlatforms[_random.Next(NewPlatforms.Length)] : OldPlatforms[_random.Next(OldPlatforms.Length)];
            var shuffle = _random.NextDouble() < 0.02 ? (bool?)null : _random.NextDouble() < 0.4;
            bool? skipped = _random.NextDouble() < 0.05 ? null : msPlayed < 30_000 && _random.NextDouble() < 0.7;
            var ip = _random.NextDouble() < 0.5
                ? $"{_random.Next(1, 223)}.{_random.Next(256)}.{_random.Next(256)}.{_random.Next(256)}"
                : $"2a02:{_random.Next(0x10000):x4}:{_random.Next(0x10000):x4}::{_random.Next(0x10000):x4}";
            var userAgent = $"unknown/Spotify 8.{_random.Next(4, 9)}.{_random.Next(99)} Android/{_random.Next(24, 34)}";

            string? trackName = null, artistName = null, albumName = null, trackUri = null;
            string? episodeName = null, showName = null, episodeUri = null;
            string? audiobookTitle = null, audiobookUri = null, chapterUri = null, chapterTitle = null;
            switch (kind)
            {
                case ImportedKind.Episode:
                    var show = _catalogue.Shows[_random.Next(_catalogue.Shows.Count)];
                    showName = show.Name;
                    episodeName = $"{show.Name} #{_random.Next(1, 400)}: {Word()} {Word()}";
                    episodeUri = "spotify:episode:" + Base62();
                    if (show.Video)
                    {
                        traits |= RowTraits.Video;
                    }

                    break;
                case ImportedKind.Audiobook:
                    var book = _catalogue.Books[_random.Next(_catalogue.Books.Count)];
                    audiobookTitle = book.Title;
                    audiobookUri = book.Uri;
                    var chapter = _random.Next(1, 30);
                    chapterTitle = $"Chapter {chapter}";
                    chapterUri = book.ChapterUris[chapter % book.ChapterUris.Length];
                    break;
                default:
                    var noNames = _random.NextDouble() < 0.01;
                    if (noNames)
                    {
                        traits |= RowTraits.NoNames;
                        break;
                    }

                    var track = _catalogue.NextTrack(_random);
                    trackName = track.Name;
                    artistName = track.Artist;
                    albumName = track.Album;
                    if (_random.NextDouble() < 0.005)
                    {
                        traits |= RowTraits.LocalFile;
                    }
                    else
                    {
                        trackUri = track.Uri;
                    }

                    break;
            }

            row = new ExtendedRow(kind, ts, msPlayed, platform, Countries[_random.Next(Countries.Length)], ip, userAgent,
                trackName, artistName, albumName, trackUri, episodeName, showName, episodeUri,
                audiobookTitle, audiobookUri, chapterUri, chapterTitle,
                ReasonsStart[_random.Next(ReasonsStart.Length)], ReasonsEnd[_random.Next(ReasonsEnd.Length)],
                shuffle, skipped, offline, offlineTimestamp, _random.NextDouble() < 0.03, traits);
            if (recent.Count == 64)
            {
                recent[_random.Next(64)] = row;
            }
            else
            {
                recent.Add(row);
            }

            time = (traits & RowTraits.Overlapping) != 0 ? end : ts;
            yield return row;
        }
    }

    /// <summary>
    /// Writes <paramref name="rows"/> as one extended-history file (one JSON array). Returns how many were written.
    /// <paramref name="indented"/>: pretty-printed, as some of Spotify's files are (compact by default: smaller and faster).
    /// </summary>
    public static long WriteExtended(Stream stream, IEnumerable<ExtendedRow> rows, ExtendedDialect dialect = ExtendedDialect.Audio, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new Utf8JsonWriter(stream, indented ? WriterOptions with { Indented = true, IndentSize = 4 } : WriterOptions);
        writer.WriteStartArray();
        long count = 0;
        foreach (var row in rows)
        {
            WriteRow(writer, row, dialect);
            if (++count % 256 == 0)
            {
                writer.Flush();
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        return count;
    }

    /// <summary>Streams <paramref name="count"/> rows from <paramref name="start"/> to a file at <paramref name="path"/>; returns its size in bytes.</summary>
    public long WriteExtendedFile(string path, int count, DateTimeOffset start, ExtendedDialect dialect = ExtendedDialect.Audio)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        WriteExtended(file, ExtendedRows(count, start, dialect), dialect);
        return file.Length;
    }

    /// <summary>
    /// The extended export as Spotify ships it: <c>Spotify Extended Streaming History/</c> with audio files of at most
    /// <paramref name="rowsPerFile"/> rows named by their years, video-podcast rows in a video file, and the ReadMe PDF.
    /// </summary>
    public IReadOnlyList<GeneratedFile<ExtendedRow>> WriteExtendedZip(Stream stream, int count, DateTimeOffset start, int rowsPerFile = 15_000)
    {
        var rows = ExtendedRows(count, start).ToList();
        var files = new List<GeneratedFile<ExtendedRow>>();
        var audio = rows.Where(r => !r.Traits.HasFlag(RowTraits.Video)).ToList();
        for (int i = 0, part = 0; i < audio.Count; i += rowsPerFile, part++)
        {
            var slice = audio.GetRange(i, Math.Min(rowsPerFile, audio.Count - i));
            var years = slice[0].Ts.Year == slice[^1].Ts.Year ? $"{slice[0].Ts.Year}" : $"{slice[0].Ts.Year}-{slice[^1].Ts.Year}";
            files.Add(new GeneratedFile<ExtendedRow>($"Spotify Extended Streaming History/Streaming_History_Audio_{years}_{part}.json", slice));
        }

        var video = rows.Where(r => r.Traits.HasFlag(RowTraits.Video)).ToList();
        if (video.Count > 0)
        {
            files.Add(new GeneratedFile<ExtendedRow>($"Spotify Extended Streaming History/Streaming_History_Video_{video[0].Ts.Year}-{video[^1].Ts.Year}.json", video));
        }

        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var file in files)
        {
            using var entry = zip.CreateEntry(file.Name, CompressionLevel.Fastest).Open();
            WriteExtended(entry, file.Rows);
        }

        AddBytes(zip, "Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf", FakePdf());
        return files;
    }

    /// <summary>
    /// Account data for the same listening as <paramref name="rows"/> (music and podcasts; audiobooks are not in it):
    /// end times cut to the minute, names only.
    /// </summary>
    public static IEnumerable<AccountRow> AccountRowsFrom(IEnumerable<ExtendedRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            var minute = new DateTimeOffset(row.Ts.Ticks - (row.Ts.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
            if (row.Kind == ImportedKind.Episode)
            {
                yield return new AccountRow(minute, row.MsPlayed, null, null, row.ShowName, row.EpisodeName);
            }
            else if (row.Kind == ImportedKind.Track)
            {
                yield return new AccountRow(minute, row.MsPlayed, row.ArtistName ?? "Unknown Artist", row.TrackName ?? "Unknown Track", null, null);
            }
        }
    }

    /// <summary>Writes account-data rows as one file (<c>StreamingHistory_music_0.json</c> or <c>_podcast_</c> shape).</summary>
    public static long WriteAccount(Stream stream, IEnumerable<AccountRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true });
        writer.WriteStartArray();
        long count = 0;
        foreach (var row in rows)
        {
            writer.WriteStartObject();
            writer.WriteString("endTime", row.EndTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            if (row.IsPodcast)
            {
                writer.WriteString("podcastName", row.PodcastName);
                writer.WriteString("episodeName", row.EpisodeName);
            }
            else
            {
                writer.WriteString("artistName", row.ArtistName);
                writer.WriteString("trackName", row.TrackName);
            }

            writer.WriteNumber("msPlayed", row.MsPlayed);
            writer.WriteEndObject();
            count++;
        }

        writer.WriteEndArray();
        writer.Flush();
        return count;
    }

    /// <summary>
    /// The account-data export: <c>Spotify Account Data/StreamingHistory_music_&lt;n&gt;.json</c> (at most
    /// <paramref name="rowsPerFile"/> rows each), <c>StreamingHistory_podcast_0.json</c>, and files that are not history
    /// (<c>Userdata.json</c>, <c>YourLibrary.json</c>, <c>Playlist1.json</c>, the ReadMe PDF).
    /// </summary>
    public static IReadOnlyList<GeneratedFile<AccountRow>> WriteAccountZip(Stream stream, IEnumerable<AccountRow> rows, int rowsPerFile = 10_000)
    {
        var all = rows.ToList();
        var files = new List<GeneratedFile<AccountRow>>();
        var music = all.Where(r => !r.IsPodcast).ToList();
        for (int i = 0, part = 0; i < music.Count; i += rowsPerFile, part++)
        {
            files.Add(new GeneratedFile<AccountRow>($"Spotify Account Data/StreamingHistory_music_{part}.json", music.GetRange(i, Math.Min(rowsPerFile, music.Count - i))));
        }

        files.Add(new GeneratedFile<AccountRow>("Spotify Account Data/StreamingHistory_podcast_0.json", all.Where(r => r.IsPodcast).ToList()));
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var file in files)
        {
            using var entry = zip.CreateEntry(file.Name, CompressionLevel.Fastest).Open();
            WriteAccount(entry, file.Rows);
        }

        AddBytes(zip, "Spotify Account Data/Userdata.json", """{"username":"listener","email":"listener@example.org","country":"DE","birthdate":"1990-01-01"}"""u8.ToArray());
        AddBytes(zip, "Spotify Account Data/YourLibrary.json", """{"tracks":[{"artist":"Night River","album":"Golden","track":"Blue","uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC"}]}"""u8.ToArray());
        AddBytes(zip, "Spotify Account Data/Playlist1.json", """{"playlists":[]}"""u8.ToArray());
        AddBytes(zip, "Spotify Account Data/Read_Me_First.pdf", FakePdf());
        return files;
    }

    private static void AddBytes(ZipArchive zip, string name, byte[] content)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(content);
    }

    private static byte[] FakePdf() => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static void WriteRow(Utf8JsonWriter writer, ExtendedRow row, ExtendedDialect dialect)
    {
        writer.WriteStartObject();
        writer.WriteString(Names.Ts, row.Ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (dialect == ExtendedDialect.Endsong)
        {
            writer.WriteString(Names.Username, "listener-1990");
        }

        writer.WriteString(Names.Platform, row.Platform);
        writer.WriteNumber(Names.MsPlayed, row.MsPlayed);
        writer.WriteString(Names.ConnCountry, row.Country);
        if (dialect == ExtendedDialect.Endsong)
        {
            writer.WriteString(Names.IpAddrDecrypted, row.IpAddress);
            writer.WriteString(Names.UserAgentDecrypted, row.UserAgent);
        }
        else
        {
            writer.WriteString(Names.IpAddr, row.IpAddress);
        }

        writer.WriteString(Names.TrackName, row.TrackName);
        writer.WriteString(Names.ArtistName, row.ArtistName);
        writer.WriteString(Names.AlbumName, row.AlbumName);
        writer.WriteString(Names.TrackUri, row.TrackUri);
        writer.WriteString(Names.EpisodeName, row.EpisodeName);
        writer.WriteString(Names.ShowName, row.ShowName);
        writer.WriteString(Names.EpisodeUri, row.EpisodeUri);
        if (dialect == ExtendedDialect.Audio)
        {
            writer.WriteString(Names.AudiobookTitle, row.AudiobookTitle);
            writer.WriteString(Names.AudiobookUri, row.AudiobookUri);
            writer.WriteString(Names.ChapterUri, row.ChapterUri);
            writer.WriteString(Names.ChapterTitle, row.ChapterTitle);
        }

        writer.WriteString(Names.ReasonStart, row.ReasonStart);
        writer.WriteString(Names.ReasonEnd, row.ReasonEnd);
        WriteBoolean(writer, Names.Shuffle, row.Shuffle);
        WriteBoolean(writer, Names.Skipped, row.Skipped);
        WriteBoolean(writer, Names.Offline, row.Offline);
        if (row.OfflineTimestamp is { } offlineTimestamp)
        {
            writer.WriteNumber(Names.OfflineTimestamp, offlineTimestamp);
        }
        else
        {
            writer.WriteNull(Names.OfflineTimestamp);
        }

        writer.WriteBoolean(Names.Incognito, row.Incognito);
        writer.WriteEndObject();
    }

    private static void WriteBoolean(Utf8JsonWriter writer, JsonEncodedText name, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(name, flag);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private string Word() => Words[_random.Next(Words.Length)];

    private string Base62() => Catalogue.Base62(_random);

    private static List<DateTimeOffset> BuildDstChanges()
    {
        var changes = new List<DateTimeOffset>();
        for (var year = 2010; year <= 2030; year++)
        {
            // Europe: last Sundays of March and October, 01:00 UTC. US Eastern: second Sunday of March 07:00 UTC, first of November 06:00 UTC.
            changes.Add(LastSunday(year, 3).AddHours(1));
            changes.Add(LastSunday(year, 10).AddHours(1));
            changes.Add(NthSunday(year, 3, 2).AddHours(7));
            changes.Add(NthSunday(year, 11, 1).AddHours(6));
        }

        changes.Sort();
        return changes;
    }

    private static DateTimeOffset LastSunday(int year, int month)
    {
        var day = new DateTimeOffset(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, TimeSpan.Zero);
        return day.AddDays(-(int)day.DayOfWeek);
    }

    private static DateTimeOffset NthSunday(int year, int month, int n)
    {
        var first = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        return first.AddDays(((7 - (int)first.DayOfWeek) % 7) + (7 * (n - 1)));
    }

    private static class Names
    {
        public static readonly JsonEncodedText Ts = JsonEncodedText.Encode("ts");
        public static readonly JsonEncodedText Username = JsonEncodedText.Encode("username");
        public static readonly JsonEncodedText Platform = JsonEncodedText.Encode("platform");
        public static readonly JsonEncodedText MsPlayed = JsonEncodedText.Encode("ms_played");
        public static readonly JsonEncodedText ConnCountry = JsonEncodedText.Encode("conn_country");
        public static readonly JsonEncodedText IpAddr = JsonEncodedText.Encode("ip_addr");
        public static readonly JsonEncodedText IpAddrDecrypted = JsonEncodedText.Encode("ip_addr_decrypted");
        public static readonly JsonEncodedText UserAgentDecrypted = JsonEncodedText.Encode("user_agent_decrypted");
        public static readonly JsonEncodedText TrackName = JsonEncodedText.Encode("master_metadata_track_name");
        public static readonly JsonEncodedText ArtistName = JsonEncodedText.Encode("master_metadata_album_artist_name");
        public static readonly JsonEncodedText AlbumName = JsonEncodedText.Encode("master_metadata_album_album_name");
        public static readonly JsonEncodedText TrackUri = JsonEncodedText.Encode("spotify_track_uri");
        public static readonly JsonEncodedText EpisodeName = JsonEncodedText.Encode("episode_name");
        public static readonly JsonEncodedText ShowName = JsonEncodedText.Encode("episode_show_name");
        public static readonly JsonEncodedText EpisodeUri = JsonEncodedText.Encode("spotify_episode_uri");
        public static readonly JsonEncodedText AudiobookTitle = JsonEncodedText.Encode("audiobook_title");
        public static readonly JsonEncodedText AudiobookUri = JsonEncodedText.Encode("audiobook_uri");
        public static readonly JsonEncodedText ChapterUri = JsonEncodedText.Encode("audiobook_chapter_uri");
        public static readonly JsonEncodedText ChapterTitle = JsonEncodedText.Encode("audiobook_chapter_title");
        public static readonly JsonEncodedText ReasonStart = JsonEncodedText.Encode("reason_start");
        public static readonly JsonEncodedText ReasonEnd = JsonEncodedText.Encode("reason_end");
        public static readonly JsonEncodedText Shuffle = JsonEncodedText.Encode("shuffle");
        public static readonly JsonEncodedText Skipped = JsonEncodedText.Encode("skipped");
        public static readonly JsonEncodedText Offline = JsonEncodedText.Encode("offline");
        public static readonly JsonEncodedText OfflineTimestamp = JsonEncodedText.Encode("offline_timestamp");
        public static readonly JsonEncodedText Incognito = JsonEncodedText.Encode("incognito_mode");
    }

    private sealed record Track(string Uri, string Name, string Artist, string Album, int DurationMs);

    private sealed record Show(string Name, bool Video);

    private sealed record Book(string Title, string Uri, string[] ChapterUris);

    /// <summary>Tracks by a few hundred artists; plays follow a skewed (Zipf-like) popularity.</summary>
    private sealed class Catalogue
    {
        private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        private readonly List<Track> _tracks = [];
        private Track? _current;

        public Catalogue(Random random, int tracks)
        {
            var artists = Enumerable.Range(0, Math.Max(3, tracks / 8))
                .Select(i => i % 17 == 0 ? $"Sigur {Pick(random)}" : $"{Pick(random)} {Pick(random)}{(i % 3 == 0 ? "s" : "")}")
                .ToList();
            for (var i = 0; i < tracks; i++)
            {
                var artist = artists[random.Next(artists.Count)];
                var name = (i % 11) switch
                {
                    0 => $"{Pick(random)} {Pick(random)} (feat. {artists[random.Next(artists.Count)]})",
                    1 => $"{Pick(random)} - Remastered {random.Next(1995, 2020)}",
                    2 => $"{Pick(random)}, \"{Pick(random)}\" & {Pick(random)}",
                    _ => $"{Pick(random)} {Pick(random)}",
                };
                _tracks.Add(new Track("spotify:track:" + Base62(random), name, artist, $"{Pick(random)} {Pick(random)}", random.Next(90_000, 420_000)));
            }

            Shows = Enumerable.Range(0, 12).Select(i => new Show($"The {Pick(random)} Podcast", i % 4 == 0)).ToList();
            Books = Enumerable.Range(0, 4)
                .Select(_ => new Book($"{Pick(random)} {Pick(random)}: A Novel", "spotify:show:" + Base62(random),
                    Enumerable.Range(0, 8).Select(_ => "spotify:episode:" + Base62(random)).ToArray()))
                .ToList();
        }

        public IReadOnlyList<Show> Shows { get; }

        public IReadOnlyList<Book> Books { get; }

        public static string Base62(Random random) => string.Create(22, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });

        public Track NextTrack(Random random)
        {
            // Skewed popularity: the square of a uniform number favours the first tracks.
            var u = random.NextDouble();
            _current = _tracks[(int)(u * u * _tracks.Count)];
            return _current;
        }

        public int NextPlayed(Random random)
        {
            var duration = _current?.DurationMs ?? 200_000;
            var roll = random.NextDouble();
            return roll < 0.2 ? random.Next(0, 30_000) : roll < 0.35 ? random.Next(30_000, duration) : duration;
        }

        private static string Pick(Random random) => Words[random.Next(Words.Length)];
    }
}
