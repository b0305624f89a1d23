using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import;

/// <summary>
/// Spotify's account-data streaming history (<c>StreamingHistory_music_*.json</c>, <c>StreamingHistory_podcast_*.json</c>,
/// older <c>StreamingHistory*.json</c>): <c>endTime</c> (<c>yyyy-MM-dd HH:mm</c>, UTC, minute precision), <c>msPlayed</c>,
/// and <c>artistName</c>/<c>trackName</c> (music) or <c>podcastName</c>/<c>episodeName</c> (an episode; its artist and
/// collection are the podcast). No URIs: storage matches the rows to tracks by name.
/// </summary>
public sealed class AccountDataReader(IOptions<ImportLimits> limits) : JsonArrayReader(limits)
{
    public override ImportFormat Format => ImportFormat.AccountData;

    protected override string NotAnArray => "not a JSON array of streams (not account data)";

    protected override bool TryReadRecord(ref Utf8JsonReader reader, long record, string fileName, Utf8StringPool strings, [NotNullWhen(true)] out ImportedPlay? play)
    {
        play = null;
        DateTimeOffset? endTime = null;
        long? msPlayed = null;
        string? artistName = null, trackName = null, podcastName = null, episodeName = null;
        var extended = false;

        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var name = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            var isEndTime = name.SequenceEqual("endTime"u8);
            var isMsPlayed = !isEndTime && name.SequenceEqual("msPlayed"u8);
            var isArtist = name.SequenceEqual("artistName"u8);
            var isTrack = name.SequenceEqual("trackName"u8);
            var isPodcast = name.SequenceEqual("podcastName"u8);
            var isEpisode = name.SequenceEqual("episodeName"u8);
            extended |= name.SequenceEqual("ts"u8) || name.SequenceEqual("ms_played"u8);
            if (!reader.Read())
            {
                return false;
            }

            if (isEndTime)
            {
                endTime = ReadEndTime(ref reader, record, fileName);
            }
            else if (isMsPlayed)
            {
                msPlayed = ReadMilliseconds(ref reader, "msPlayed", record, fileName);
            }
            else if (isArtist)
            {
                artistName = ReadString(ref reader, "artistName", record, fileName, strings);
            }
            else if (isTrack)
            {
                trackName = ReadString(ref reader, "trackName", record, fileName, strings);
            }
            else if (isPodcast)
            {
                podcastName = ReadString(ref reader, "podcastName", record, fileName, strings);
            }
            else if (isEpisode)
            {
                episodeName = ReadString(ref reader, "episodeName", record, fileName);
            }
            else if (!TrySkipValue(ref reader))
            {
                return false;
            }
        }

        if (endTime is null || msPlayed is null)
        {
            var missing = endTime is null ? "endTime" : "msPlayed";
            throw new ImportFormatException(fileName, record, extended
                ? $"has no {missing} but ts/ms_played: this is extended streaming history (Streaming_History_Audio_*.json), not account data"
                : $"has no {missing}");
        }

        play = podcastName is not null || episodeName is not null
            ? new ImportedPlay(record, ImportedKind.Episode, endTime.Value, msPlayed.Value, null, episodeName, podcastName, podcastName, null, null)
            : new ImportedPlay(record, ImportedKind.Track, endTime.Value, msPlayed.Value, null, trackName, artistName, null, null, null);
        return true;
    }

    private static DateTimeOffset ReadEndTime(ref Utf8JsonReader reader, long record, string fileName)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var parsed = reader.ValueIsEscaped
                ? ExportTimes.TryParseEndTime(Encoding.UTF8.GetBytes(reader.GetString()!), out var value)
                : ExportTimes.TryParseEndTime(reader.ValueSpan, out value);
            if (parsed)
            {
                return value;
            }
        }

        throw new ImportFormatException(fileName, record, "endTime is not a date (yyyy-MM-dd HH:mm)");
    }
}
