using System.Globalization;
using System.Text;

namespace OrleansSpotify.Storage.Export;

/// <summary>
/// RFC 4180 CSV: UTF-8 without a byte-order mark, CRLF line ends, a header row, one play per row. A field is quoted
/// when it holds a comma, a double quote, CR or LF (quotes doubled inside). Instants are ISO 8601 UTC with
/// milliseconds; a play whose time played was not reported has an empty <c>ms_played</c>. <c>artists</c> lists
/// every artist's name joined by "; " and <c>artist_ids</c> their Spotify ids (empty for a name-only artist).
/// </summary>
public sealed class CsvPlayWriter : PlayExportWriter
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "account_id", "account_name", "played_at", "ms_played", "track_uri", "track_id", "track_name", "artist_name", "artists",
        "artist_ids", "album_name", "album_id", "duration_ms", "explicit", "is_local", "isrc", "context_uri", "context_type", "source",
    ];

    private const int RowsPerFlush = 128;

    public override ExportFormat Format => ExportFormat.Csv;

    public override string ContentType => "text/csv; charset=utf-8; header=present";

    public override string FileName(string who, DateTimeOffset exportedAt) => $"orleans-spotify-{Safe(who)}-{Day(exportedAt)}.csv";

    protected override async Task WriteAsync(ExportDocument document, IEnumerable<ExportedPlay> plays, ExportSink sink, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(sink, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        WriteRow(text, Columns);
        var fields = new string?[Columns.Count];
        var rows = 0;
        foreach (var (account, play) in plays)
        {
            var track = play.Track;
            fields[0] = account.AccountKey;
            fields[1] = account.DisplayName;
            fields[2] = Instant(play.PlayedAt);
            fields[3] = play.MsPlayed?.ToString(CultureInfo.InvariantCulture);
            fields[4] = track.Uri;
            fields[5] = track.SpotifyId;
            fields[6] = track.Name;
            fields[7] = track.Artists.IsDefaultOrEmpty ? null : track.Artists[0].Name;
            fields[8] = track.Artists.IsDefaultOrEmpty ? null : string.Join("; ", track.Artists.Select(a => a.Name));
            fields[9] = track.Artists.IsDefaultOrEmpty ? null : string.Join(";", track.Artists.Select(a => a.SpotifyId ?? ""));
            fields[10] = track.Album?.Name;
            fields[11] = track.Album?.SpotifyId;
            fields[12] = track.DurationMs.ToString(CultureInfo.InvariantCulture);
            fields[13] = track.Explicit ? "true" : "false";
            fields[14] = track.IsLocal ? "true" : "false";
            fields[15] = track.Isrc;
            fields[16] = play.ContextUri;
            fields[17] = play.ContextType;
            fields[18] = PlaySourceNames.Name(play.Source);
            WriteRow(text, fields);
            if (++rows % RowsPerFlush == 0)
            {
                text.Flush();
                await sink.DrainIfFullAsync(cancellationToken);
            }
        }

        text.Flush();
    }

    private static void WriteRow(StreamWriter text, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Write(',');
            }

            WriteField(text, fields[i]);
        }

        text.WriteLine();
    }

    /// <summary>RFC 4180 §2.6–2.7: quoted when it holds a comma, a quote or a line break; quotes doubled.</summary>
    public static string Escape(string? value)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteField(writer, value);
        return writer.ToString();
    }

    private static void WriteField(TextWriter text, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            text.Write(value);
            return;
        }

        text.Write('"');
        text.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        text.Write('"');
    }
}
