using System.Text.Json;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import;

/// <summary>
/// Recognises a file whose name says nothing by its content: the property names of the first object of its array
/// (<c>ts</c>/<c>ms_played</c>: extended history; <c>endTime</c>/<c>msPlayed</c>: account data), or the top-level
/// <c>"format": "orleans-spotify-plays"</c> marker of this service's own export.
/// </summary>
public static class ImportFormatSniffer
{
    /// <summary>How much of a file's start is looked at; a record of a real export is under 2 KB.</summary>
    public const int PrefixBytes = 64 * 1024;

    /// <summary>The marker of this service's own json export (Part E's writer puts it first).</summary>
    public const string OwnFormatMarker = "orleans-spotify-plays";

    /// <summary>Reads up to <see cref="PrefixBytes"/> of <paramref name="stream"/> and recognises them.</summary>
    /// <exception cref="ImportFormatException">The start is not JSON, or not a format this service reads.</exception>
    public static async Task<ImportFormat> SniffAsync(Stream stream, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[PrefixBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return Recognise(buffer.AsSpan(0, length), complete: length < buffer.Length, fileName);
    }

    /// <param name="complete">True when <paramref name="prefix"/> is the whole file.</param>
    public static ImportFormat Recognise(ReadOnlySpan<byte> prefix, bool complete, string fileName)
    {
        prefix = Utf8.SkipBom(prefix);
        if (complete && prefix.TrimStart(" \t\r\n"u8).Length == 0)
        {
            throw new ImportFormatException(fileName, null, "the file is empty");
        }

        var reader = new Utf8JsonReader(prefix, isFinalBlock: complete, default);
        try
        {
            if (!reader.Read())
            {
                throw new ImportFormatException(fileName, null, complete ? "the file is empty" : "not a JSON file");
            }

            return reader.TokenType switch
            {
                JsonTokenType.StartArray => RecogniseArray(ref reader, fileName),
                JsonTokenType.StartObject => RecogniseObject(ref reader, fileName),
                _ => throw Unknown(fileName, "a JSON value that is neither an array nor an object"),
            };
        }
        catch (JsonException exception)
        {
            throw new ImportFormatException(fileName, null, "not a JSON file (" + Utf8.FirstSentence(exception.Message) + ")", exception);
        }
    }

    private static ImportFormat RecogniseArray(ref Utf8JsonReader reader, string fileName)
    {
        if (!reader.Read())
        {
            throw Unknown(fileName, "an array whose first record is not readable");
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            // An empty array: nothing to read whatever the format; the extended reader reads it as zero rows.
            return ImportFormat.ExtendedHistory;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Unknown(fileName, "an array of something other than objects");
        }

        bool extended = false, account = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2)
            {
                extended |= reader.ValueTextEquals("ts"u8) || reader.ValueTextEquals("ms_played"u8) || reader.ValueTextEquals("spotify_track_uri"u8);
                account |= reader.ValueTextEquals("endTime"u8) || reader.ValueTextEquals("msPlayed"u8);
            }
        }

        return (extended, account) switch
        {
            (true, false) => ImportFormat.ExtendedHistory,
            (false, true) => ImportFormat.AccountData,
            _ => throw Unknown(fileName, "records with neither ts/ms_played (extended streaming history) nor endTime/msPlayed (account data)"),
        };
    }

    private static ImportFormat RecogniseObject(ref Utf8JsonReader reader, string fileName)
    {
        while (reader.Read() && reader.CurrentDepth >= 1)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("format"u8))
            {
                if (reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(OwnFormatMarker))
                {
                    return ImportFormat.OrleansSpotify;
                }
            }
        }

        throw Unknown(fileName, $"a JSON object without the \"format\": \"{OwnFormatMarker}\" marker");
    }

    private static ImportFormatException Unknown(string fileName, string what) =>
        new(fileName, null, $"not a Spotify streaming history file nor this service's export: it holds {what}");
}
