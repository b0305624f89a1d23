using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Export;

/// <summary>
/// The zip ListenBrainz's importer accepts (<c>POST /1/import-listens/</c>, <c>service=listenbrainz</c>), shaped as
/// its own export: <c>listens/&lt;YYYY&gt;/&lt;M&gt;.jsonl</c> (month not zero-padded, by the listen's UTC start), one
/// listen a line with only <c>listened_at</c> and <c>track_metadata</c>. <c>listened_at</c> is the start of the play
/// in Unix seconds: <c>played_at − ms_played</c>, the track's duration standing in when the time played was not
/// reported. <c>track_metadata</c> has <c>artist_name</c> (the artists' names joined by ", "; "[unknown]" when a
/// track has none), <c>track_name</c>, <c>release_name</c> and <c>additional_info</c> (duration_ms, artist_names,
/// isrc, the Spotify URLs, music_service, submission_client). A household export is a zip of such zips, one per member
/// (<c>listenbrainz_&lt;account&gt;.zip</c>), each uploadable as it is.
/// </summary>
public sealed class ListenBrainzZipWriter : PlayExportWriter
{
    /// <summary><c>additional_info.submission_client</c>.</summary>
    public const string SubmissionClient = "OrleansSpotify";

    private const long MaxDurationMs = 2_073_600_000;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override ExportFormat Format => ExportFormat.ListenBrainz;

    public override string ContentType => "application/zip";

    public override ExportOrder Order => ExportOrder.StartOfPlay;

    public override string FileName(string who, DateTimeOffset exportedAt) => $"orleans-spotify-{Safe(who)}-{Day(exportedAt)}-listenbrainz.zip";

    /// <summary>The start of a play in Unix seconds: <c>played_at − ms_played</c> (the duration when not reported).</summary>
    public static long ListenedAt(PlayRecord play)
    {
        ArgumentNullException.ThrowIfNull(play);
        var startMs = play.PlayedAt.ToUnixTimeMilliseconds() - (play.MsPlayed ?? play.Track.DurationMs);
        return startMs >= 0 ? startMs / 1000 : ((startMs + 1) / 1000) - 1;
    }

    /// <summary>The entry a listen goes to: <c>listens/2026/3.jsonl</c>.</summary>
    public static string EntryName(long listenedAt)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(listenedAt).UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"listens/{start.Year}/{start.Month}.jsonl");
    }

    protected override async Task WriteAsync(ExportDocument document, IEnumerable<ExportedPlay> plays, ExportSink sink, CancellationToken cancellationToken)
    {
        var single = !document.Household;
        if (single && document.Accounts.Count != 1)
        {
            throw new ArgumentException("An account's export has one account; a household export says so.", nameof(document));
        }

        using var outer = new ZipArchive(sink, ZipArchiveMode.Create, leaveOpen: true);
        var line = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(line, Options);

        // Household: one inner zip per member, in the document's order (members without plays get an empty one).
        ZipArchive? member = null;
        Stream? memberStream = null;
        var next = 0;
        ExportAccount? open = null;
        string? entryName = null;
        Stream? entry = null;

        void CloseEntry()
        {
            entry?.Dispose();
            entry = null;
            entryName = null;
        }

        void CloseMember()
        {
            CloseEntry();
            member?.Dispose();
            member = null;
            memberStream?.Dispose();
            memberStream = null;
        }

        ZipArchive OpenMember(ExportAccount account)
        {
            memberStream = outer.CreateEntry($"listenbrainz_{Safe(account.AccountKey)}.zip", CompressionLevel.Fastest).Open();
            return member = new ZipArchive(memberStream, ZipArchiveMode.Create, leaveOpen: true);
        }

        foreach (var (account, play) in plays)
        {
            if (!single && open != account)
            {
                CloseMember();
                while (next < document.Accounts.Count && document.Accounts[next] != account)
                {
                    OpenMember(document.Accounts[next++]);
                    CloseMember();
                }

                if (next == document.Accounts.Count)
                {
                    throw new InvalidOperationException($"A play of {account.AccountKey} is out of the document's order of accounts.");
                }

                OpenMember(document.Accounts[next++]);
                open = account;
            }

            var listenedAt = ListenedAt(play);
            var name = EntryName(listenedAt);
            if (name != entryName)
            {
                CloseEntry();
                entry = (single ? outer : member!).CreateEntry(name, CompressionLevel.Optimal).Open();
                entryName = name;
            }

            line.ResetWrittenCount();
            json.Reset(line);
            WriteListen(json, listenedAt, play, document.ServiceVersion);
            json.Flush();
            entry!.Write(line.WrittenSpan);
            entry.WriteByte((byte)'\n');
            await sink.DrainIfFullAsync(cancellationToken);
        }

        CloseMember();
        if (!single)
        {
            while (next < document.Accounts.Count)
            {
                OpenMember(document.Accounts[next++]);
                CloseMember();
            }
        }
    }

    private static void WriteListen(Utf8JsonWriter json, long listenedAt, PlayRecord play, string version)
    {
        var track = play.Track;
        var artists = track.Artists.IsDefault ? [] : track.Artists;
        json.WriteStartObject();
        json.WriteNumber("listened_at", listenedAt);
        json.WriteStartObject("track_metadata");
        json.WriteString("artist_name", artists.IsEmpty ? "[unknown]" : string.Join(", ", artists.Select(a => a.Name)));
        json.WriteString("track_name", track.Name);
        if (!string.IsNullOrWhiteSpace(track.Album?.Name))
        {
            json.WriteString("release_name", track.Album.Name);
        }

        json.WriteStartObject("additional_info");
        if (track.DurationMs is > 0 and <= MaxDurationMs)
        {
            json.WriteNumber("duration_ms", track.DurationMs);
        }

        json.WriteStartArray("artist_names");
        foreach (var artist in artists)
        {
            json.WriteStringValue(artist.Name);
        }

        json.WriteEndArray();
        if (track.Isrc is not null)
        {
            json.WriteString("isrc", track.Isrc);
        }

        if (track.SpotifyId is not null && !track.IsLocal)
        {
            var url = "https://open.spotify.com/track/" + track.SpotifyId;
            json.WriteString("spotify_id", url);
            json.WriteString("origin_url", url);
        }

        if (track.Album?.SpotifyId is { } albumId)
        {
            json.WriteString("spotify_album_id", "https://open.spotify.com/album/" + albumId);
        }

        if (artists.Any(a => a.SpotifyId is not null))
        {
            json.WriteStartArray("spotify_artist_ids");
            foreach (var artist in artists.Where(a => a.SpotifyId is not null))
            {
                json.WriteStringValue("https://open.spotify.com/artist/" + artist.SpotifyId);
            }

            json.WriteEndArray();
        }

        if (play.MsPlayed is { } ms)
        {
            json.WriteNumber("ms_played", ms);
        }

        json.WriteString("music_service", "spotify.com");
        json.WriteString("music_service_name", "Spotify");
        json.WriteString("submission_client", SubmissionClient);
        json.WriteString("submission_client_version", version);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
