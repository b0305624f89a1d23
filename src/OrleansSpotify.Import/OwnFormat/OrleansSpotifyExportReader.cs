using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import.OwnFormat;

/// <summary>
/// Reads this service's own json export (the <c>orleans-spotify-plays</c> document, version 1, written by
/// <c>JsonPlayWriter</c> in OrleansSpotify.Storage) play by play: a <see cref="Utf8JsonReader"/> over a buffer that
/// holds about one play, never the file. Each play comes with <see cref="ImportedPlay.Exact"/> — the play exactly as it
/// was stored (catalogue ids, all artists in order, album, context, source, <c>ms_played</c> or null), and
/// <see cref="ImportedPlay.Kind"/> and <see cref="ImportedPlay.CollectionName"/> from the track's <c>kind</c> and
/// <c>collection</c> (absent in older files: music, no collection). A document must
/// name its format before its accounts and hold one account (a household export holds several: import each member's
/// own export instead). A bad play throws <see cref="ImportFormatException"/> naming its 0-based index in the file.
/// </summary>
public sealed class OrleansSpotifyExportReader : IImportFormatReader
{
    /// <summary>The top-level <c>format</c> marker.</summary>
    public const string FormatName = "orleans-spotify-plays";

    /// <summary>The newest document version this reader understands.</summary>
    public const int FormatVersion = 1;

    /// <summary>The largest single play (a buffer grows to hold one play at a time).</summary>
    public const int MaxPlayBytes = 1024 * 1024;

    private const int InitialBufferBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
    };

    public ImportFormat Format => ImportFormat.OrleansSpotify;

    public async IAsyncEnumerable<ImportedPlay> ReadAsync(Stream stream, string fileName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var parser = new Parser(fileName);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var output = new List<ImportedPlay>();
        try
        {
            int start = 0, end = 0;
            var final = false;
            var sawStart = false;
            var state = new JsonReaderState();
            while (true)
            {
                if (!final)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        if (buffer.Length >= MaxPlayBytes + InitialBufferBytes)
                        {
                            throw new ImportFormatException(fileName, parser.Record, $"a play larger than {MaxPlayBytes / 1024} KB");
                        }

                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                    if (read == 0)
                    {
                        final = true;
                    }

                    end += read;
                    if (!sawStart && (end >= 3 || final))
                    {
                        // A byte-order mark (an editor saved the file) is not JSON: skip it.
                        sawStart = true;
                        if (buffer.AsSpan(0, end).StartsWith("\uFEFF"u8))
                        {
                            start = 3;
                        }
                    }

                    if (!sawStart)
                    {
                        continue;
                    }
                }

                start += parser.Process(buffer.AsSpan(start, end - start), ref state, output);
                foreach (var play in output)
                {
                    yield return play;
                }

                output.Clear();
                if (parser.Done)
                {
                    // Only white space may follow the document.
                    while (true)
                    {
                        if (buffer.AsSpan(start, end - start).TrimStart(" \t\r\n"u8).Length > 0)
                        {
                            throw new ImportFormatException(fileName, null, "more data after the document's end");
                        }

                        start = 0;
                        end = await stream.ReadAsync(buffer, cancellationToken);
                        if (end == 0)
                        {
                            yield break;
                        }
                    }
                }

                if (final)
                {
                    throw new ImportFormatException(fileName, parser.InPlays ? parser.Record : null, "the file ends early (truncated?)");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The document's structure as a state machine over tokens; each step either completes or consumes nothing.</summary>
    private sealed class Parser(string fileName)
    {
        private enum Where { Start, Root, Accounts, Account, Plays, Done }

        private Where _where = Where.Start;
        private bool _sawFormat;
        private int _accounts;

        public long Record { get; private set; }

        public bool Done => _where == Where.Done;

        public bool InPlays => _where == Where.Plays;

        /// <summary>Takes as many whole steps as <paramref name="data"/> holds; returns the bytes consumed.</summary>
        /// <remarks>
        /// Never a final block: the document ends with its closing brace, so an end of data before it is a truncated
        /// file (reported as such by the caller), and what follows it is checked by the caller.
        /// </remarks>
        public int Process(ReadOnlySpan<byte> data, ref JsonReaderState state, List<ImportedPlay> output)
        {
            var reader = new Utf8JsonReader(data, isFinalBlock: false, state);
            try
            {
                while (_where != Where.Done)
                {
                    var checkpoint = reader;
                    if (!Step(ref reader, output))
                    {
                        reader = checkpoint;
                        break;
                    }
                }
            }
            catch (JsonException exception)
            {
                throw new ImportFormatException(fileName, _where == Where.Plays ? Record : null, $"malformed JSON ({exception.Message})", exception);
            }

            state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }

        /// <summary>One step: a token and, for a property, its value (skipped whole when unknown). False: more data is needed.</summary>
        private bool Step(ref Utf8JsonReader reader, List<ImportedPlay> output)
        {
            if (!reader.Read())
            {
                return false;
            }

            switch (_where)
            {
                case Where.Start:
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw Error(null, $"not an {FormatName} document (it does not start with an object)");
                    }

                    _where = Where.Root;
                    return true;

                case Where.Root:
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        if (_accounts == 0)
                        {
                            throw Error(null, $"an {FormatName} document without \"accounts\"");
                        }

                        _where = Where.Done;
                        return true;
                    }

                    return RootProperty(ref reader);

                case Where.Accounts:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _where = Where.Root;
                        return true;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw Error(null, "\"accounts\" holds something other than objects");
                    }

                    if (++_accounts > 1)
                    {
                        throw Error(null, "the document holds more than one account (a household export); import a member's own export (GET /api/accounts/{id}/export?format=json)");
                    }

                    _where = Where.Account;
                    return true;

                case Where.Account:
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _where = Where.Accounts;
                        return true;
                    }

                    var isPlays = reader.ValueTextEquals("plays");
                    if (!reader.Read() || ((reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) && !isPlays && !reader.TrySkip()))
                    {
                        return false;
                    }

                    if (isPlays)
                    {
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            throw Error(null, "\"plays\" is not an array");
                        }

                        _where = Where.Plays;
                    }

                    return true;

                case Where.Plays:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _where = Where.Account;
                        return true;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw Error(Record, "not a play (an object was expected)");
                    }

                    var whole = reader;
                    if (!whole.TrySkip())
                    {
                        return false;
                    }

                    PlayJson? play;
                    try
                    {
                        play = JsonSerializer.Deserialize<PlayJson>(ref reader, Options);
                    }
                    catch (JsonException exception)
                    {
                        throw Error(Record, $"a field has the wrong type{(exception.Path is { } path ? " at " + path : "")}");
                    }

                    output.Add(ToImported(Record, play!));
                    Record++;
                    return true;

                default:
                    throw new InvalidOperationException("The document is already read.");
            }
        }

        private bool RootProperty(ref Utf8JsonReader reader)
        {
            var name = reader.GetString();
            if (!reader.Read())
            {
                return false;
            }

            switch (name)
            {
                case "format":
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(FormatName))
                    {
                        throw Error(null, $"not an {FormatName} document (\"format\" is not \"{FormatName}\")");
                    }

                    _sawFormat = true;
                    return true;

                case "version":
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version) || version < 1)
                    {
                        throw Error(null, "\"version\" is not a positive whole number");
                    }

                    if (version > FormatVersion)
                    {
                        throw Error(null, $"version {version} of {FormatName} is newer than this service reads (up to {FormatVersion})");
                    }

                    return true;

                case "accounts":
                    if (!_sawFormat)
                    {
                        throw Error(null, $"not an {FormatName} document (no \"format\": \"{FormatName}\" before \"accounts\")");
                    }

                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw Error(null, "\"accounts\" is not an array");
                    }

                    _where = Where.Accounts;
                    return true;

                default:
                    return reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.TrySkip();
            }
        }

        private ImportedPlay ToImported(long record, PlayJson play)
        {
            if (play.PlayedAt is null || !DateTimeOffset.TryParse(play.PlayedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var playedAt))
            {
                throw Error(record, play.PlayedAt is null ? "playedAt is missing" : $"playedAt '{play.PlayedAt}' is not a date-time");
            }

            if (play.MsPlayed is < 0)
            {
                throw Error(record, "msPlayed is negative");
            }

            var source = OwnFormatSources.Parse(play.Source)
                ?? throw Error(record, $"source '{play.Source}' is not one of {string.Join(", ", OwnFormatSources.Names)}");
            var track = play.Track ?? throw Error(record, "track is missing");
            if (string.IsNullOrEmpty(track.Uri) || string.IsNullOrEmpty(track.Name))
            {
                throw Error(record, string.IsNullOrEmpty(track.Uri) ? "track.uri is missing" : "track.name is missing");
            }

            if (track.DurationMs is not >= 0)
            {
                throw Error(record, "track.durationMs is missing or negative");
            }

            if (track.Album is { Name: null or "" })
            {
                throw Error(record, "track.album.name is missing");
            }

            if (play.Context is { Uri: null or "" })
            {
                throw Error(record, "context.uri is missing");
            }

            var artists = ImmutableArray.CreateBuilder<ArtistInfo>(track.Artists?.Count ?? 0);
            foreach (var artist in track.Artists ?? [])
            {
                if (artist is null || string.IsNullOrEmpty(artist.Name))
                {
                    throw Error(record, $"track.artists[{artists.Count}].name is missing");
                }

                artists.Add(new ArtistInfo(artist.Id, artist.Name));
            }

            var kind = track.Kind switch
            {
                null or "track" => ImportedKind.Track,
                "episode" => ImportedKind.Episode,
                "audiobook" => ImportedKind.Audiobook,
                _ => throw Error(record, $"track.kind '{track.Kind}' is not one of track, episode, audiobook"),
            };

            var album = track.Album is { } a ? new AlbumInfo(a.Id, a.Name!, a.Type, a.ReleaseDate, a.ImageUrl) : null;
            var info = new TrackInfo(track.Uri, track.Id, track.Name, track.DurationMs.Value, track.Explicit ?? false, track.IsLocal ?? false, track.Isrc, album, artists.MoveToImmutable());
            var exact = new PlayRecord(playedAt, info, play.MsPlayed, play.Context?.Uri, play.Context?.Type, source);
            return new ImportedPlay(
                record,
                kind,
                playedAt,
                play.MsPlayed ?? info.DurationMs,
                info.Uri,
                info.Name,
                info.Artists.IsEmpty ? null : info.Artists[0].Name,
                album?.Name ?? (string.IsNullOrEmpty(track.Collection) ? null : track.Collection),
                Details: null,
                exact);
        }

        private ImportFormatException Error(long? record, string reason) => new(fileName, record, reason);
    }

    private sealed record PlayJson(string? PlayedAt, long? MsPlayed, string? Source, ContextJson? Context, TrackJson? Track);

    private sealed record ContextJson(string? Uri, string? Type);

    private sealed record TrackJson(
        string? Uri, string? Id, string? Name, long? DurationMs, bool? Explicit, bool? IsLocal, string? Isrc, AlbumJson? Album, List<ArtistJson?>? Artists,
        string? Kind = null, string? Collection = null);

    private sealed record AlbumJson(string? Id, string? Name, string? Type, string? ReleaseDate, string? ImageUrl);

    private sealed record ArtistJson(string? Id, string? Name);
}

/// <summary>The <c>source</c> values of the format (<c>play_sources.name</c> in schema.sql).</summary>
public static class OwnFormatSources
{
    public static readonly IReadOnlyList<string> Names = ["recently-played", "import-extended-history", "import-account-data", "live"];

    public static PlaySource? Parse(string? name) => name switch
    {
        "recently-played" => PlaySource.RecentlyPlayed,
        "import-extended-history" => PlaySource.ImportExtendedHistory,
        "import-account-data" => PlaySource.ImportAccountData,
        "live" => PlaySource.Live,
        _ => null,
    };
}
