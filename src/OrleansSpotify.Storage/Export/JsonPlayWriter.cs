using System.Text.Encodings.Web;
using System.Text.Json;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Export;

/// <summary>
/// The <c>orleans-spotify-plays</c> document (version 1), this service's own format and importable again:
/// <code>
/// {"format": "orleans-spotify-plays", "version": 1, "exportedAt": "…Z",
///  "accounts": [{"id": "…", "displayName": "…", "plays": [
///    {"playedAt": "…Z", "msPlayed": 123456 | null, "source": "recently-played",
///     "context": {"uri": "…", "type": "playlist"} | null,
///     "track": {"uri": "spotify:track:…", "id": "…" | null, "name": "…", "durationMs": 1, "explicit": false,
///               "isLocal": false, "isrc": "…" | null, "kind": "track" | "episode" | "audiobook",
///               "collection": "…" | null,
///               "album": {"id", "name", "type", "releaseDate", "imageUrl"} | null,
///               "artists": [{"id": "…" | null, "name": "…"}]}}]}]}
/// </code>
/// <c>format</c> comes first (importers recognise the file by it); plays are oldest first; every field is written,
/// null included, so an import reproduces each play exactly. <c>kind</c> keeps episodes and audiobook chapters out of
/// the music stats after an import; <c>collection</c> is the album, show or book title an import named for a track
/// without a catalogued album (an album without <c>id</c> is one named by an import too). Both were added within
/// version 1: a reader that does not know them reads every such play as music, as before.
/// </summary>
public sealed class JsonPlayWriter : PlayExportWriter
{
    /// <summary>The value of the top-level <c>format</c> property.</summary>
    public const string FormatName = "orleans-spotify-plays";

    public const int FormatVersion = 1;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public override ExportFormat Format => ExportFormat.Json;

    public override string ContentType => "application/json";

    public override string FileName(string who, DateTimeOffset exportedAt) => $"orleans-spotify-{Safe(who)}-{Day(exportedAt)}.json";

    protected override async Task WriteAsync(ExportDocument document, IEnumerable<ExportedPlay> plays, ExportSink sink, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(sink, Options);
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("version", FormatVersion);
        json.WriteString("exportedAt", Instant(document.ExportedAt));
        json.WriteStartArray("accounts");
        var next = 0;
        ExportAccount? open = null;
        foreach (var exported in plays)
        {
            var account = exported.Account;
            if (open != account)
            {
                if (open is not null)
                {
                    EndAccount(json);
                }

                // Accounts without plays still appear, in the document's order.
                while (next < document.Accounts.Count && document.Accounts[next] != account)
                {
                    StartAccount(json, document.Accounts[next++]);
                    EndAccount(json);
                }

                if (next == document.Accounts.Count)
                {
                    throw new InvalidOperationException($"A play of {account.AccountKey} is out of the document's order of accounts.");
                }

                StartAccount(json, document.Accounts[next++]);
                open = account;
            }

            WritePlay(json, exported);
            json.Flush();
            await sink.DrainIfFullAsync(cancellationToken);
        }

        if (open is not null)
        {
            EndAccount(json);
        }

        while (next < document.Accounts.Count)
        {
            StartAccount(json, document.Accounts[next++]);
            EndAccount(json);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>The <c>track.kind</c> value: <c>track</c>, <c>episode</c> or <c>audiobook</c>.</summary>
    public static string KindName(ImportedKind kind) => kind switch
    {
        ImportedKind.Episode => "episode",
        ImportedKind.Audiobook => "audiobook",
        _ => "track",
    };

    private static void StartAccount(Utf8JsonWriter json, ExportAccount account)
    {
        json.WriteStartObject();
        json.WriteString("id", account.AccountKey);
        json.WriteString("displayName", account.DisplayName);
        json.WriteStartArray("plays");
    }

    private static void EndAccount(Utf8JsonWriter json)
    {
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePlay(Utf8JsonWriter json, ExportedPlay exported)
    {
        var play = exported.Play;
        json.WriteStartObject();
        json.WriteString("playedAt", Instant(play.PlayedAt));
        if (play.MsPlayed is { } ms)
        {
            json.WriteNumber("msPlayed", ms);
        }
        else
        {
            json.WriteNull("msPlayed");
        }

        json.WriteString("source", PlaySourceNames.Name(play.Source));
        if (play.ContextUri is null)
        {
            json.WriteNull("context");
        }
        else
        {
            json.WriteStartObject("context");
            json.WriteString("uri", play.ContextUri);
            json.WriteString("type", play.ContextType);
            json.WriteEndObject();
        }

        var track = play.Track;
        json.WriteStartObject("track");
        json.WriteString("uri", track.Uri);
        json.WriteString("id", track.SpotifyId);
        json.WriteString("name", track.Name);
        json.WriteNumber("durationMs", track.DurationMs);
        json.WriteBoolean("explicit", track.Explicit);
        json.WriteBoolean("isLocal", track.IsLocal);
        json.WriteString("isrc", track.Isrc);
        json.WriteString("kind", KindName(exported.Kind));
        json.WriteString("collection", exported.Collection);
        if (track.Album is { } album)
        {
            json.WriteStartObject("album");
            json.WriteString("id", album.SpotifyId);
            json.WriteString("name", album.Name);
            json.WriteString("type", album.AlbumType);
            json.WriteString("releaseDate", album.ReleaseDate);
            json.WriteString("imageUrl", album.ImageUrl);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("album");
        }

        json.WriteStartArray("artists");
        foreach (var artist in track.Artists.IsDefault ? [] : track.Artists)
        {
            json.WriteStartObject();
            json.WriteString("id", artist.SpotifyId);
            json.WriteString("name", artist.Name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
