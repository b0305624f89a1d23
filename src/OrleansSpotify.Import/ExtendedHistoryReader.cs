using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import;

/// <summary>
/// Spotify's extended streaming history (<c>Streaming_History_Audio_*.json</c>, <c>Streaming_History_Video_*.json</c>,
/// older <c>endsong_*.json</c>): one row per stream, ending at <c>ts</c> (UTC, seconds). A row with a
/// <c>spotify_track_uri</c> is a track; with an episode URI or name an episode (artist and collection: the show); with
/// an audiobook or chapter URI an audiobook chapter; a row with none of them is a track without URI (local files,
/// rows Spotify left without names). <c>ip_addr*</c>, <c>user_agent*</c>, <c>username</c> and <c>conn_country</c>
/// are skipped unread.
/// </summary>
public sealed class ExtendedHistoryReader(IOptions<ImportLimits> limits) : JsonArrayReader(limits)
{
    public override ImportFormat Format => ImportFormat.ExtendedHistory;

    protected override string NotAnArray => "not a JSON array of streams (not extended streaming history)";

    private enum Field
    {
        Other,
        Ts,
        MsPlayed,
        Platform,
        TrackName,
        AlbumArtistName,
        AlbumName,
        TrackUri,
        EpisodeName,
        EpisodeShowName,
        EpisodeUri,
        AudiobookTitle,
        AudiobookUri,
        AudiobookChapterUri,
        AudiobookChapterTitle,
        ReasonStart,
        ReasonEnd,
        Shuffle,
        Skipped,
        Offline,
        OfflineTimestamp,
        Incognito,
        EndTime,
    }

    protected override bool TryReadRecord(ref Utf8JsonReader reader, long record, string fileName, Utf8StringPool strings, [NotNullWhen(true)] out ImportedPlay? play)
    {
        play = null;
        DateTimeOffset? ts = null;
        long? msPlayed = null;
        string? platform = null, trackName = null, artistName = null, albumName = null, trackUri = null;
        string? episodeName = null, showName = null, episodeUri = null;
        string? audiobookTitle = null, audiobookUri = null, chapterUri = null, chapterTitle = null;
        string? reasonStart = null, reasonEnd = null;
        bool? shuffle = null, skipped = null, offline = null, incognito = null;
        DateTimeOffset? offlineAt = null;
        var accountData = false;

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

            var field = Lookup(ref reader);
            if (!reader.Read())
            {
                return false;
            }

            switch (field)
            {
                case Field.Ts:
                    ts = ReadTs(ref reader, record, fileName);
                    break;
                case Field.MsPlayed:
                    msPlayed = ReadMilliseconds(ref reader, "ms_played", record, fileName);
                    break;
                case Field.Platform:
                    platform = ReadString(ref reader, "platform", record, fileName, strings);
                    break;
                case Field.TrackName:
                    trackName = ReadString(ref reader, "master_metadata_track_name", record, fileName, strings);
                    break;
                case Field.AlbumArtistName:
                    artistName = ReadString(ref reader, "master_metadata_album_artist_name", record, fileName, strings);
                    break;
                case Field.AlbumName:
                    albumName = ReadString(ref reader, "master_metadata_album_album_name", record, fileName, strings);
                    break;
                case Field.TrackUri:
                    trackUri = ReadString(ref reader, "spotify_track_uri", record, fileName, strings);
                    break;
                case Field.EpisodeName:
                    episodeName = ReadString(ref reader, "episode_name", record, fileName);
                    break;
                case Field.EpisodeShowName:
                    showName = ReadString(ref reader, "episode_show_name", record, fileName, strings);
                    break;
                case Field.EpisodeUri:
                    episodeUri = ReadString(ref reader, "spotify_episode_uri", record, fileName);
                    break;
                case Field.AudiobookTitle:
                    audiobookTitle = ReadString(ref reader, "audiobook_title", record, fileName, strings);
                    break;
                case Field.AudiobookUri:
                    audiobookUri = ReadString(ref reader, "audiobook_uri", record, fileName, strings);
                    break;
                case Field.AudiobookChapterUri:
                    chapterUri = ReadString(ref reader, "audiobook_chapter_uri", record, fileName);
                    break;
                case Field.AudiobookChapterTitle:
                    chapterTitle = ReadString(ref reader, "audiobook_chapter_title", record, fileName);
                    break;
                case Field.ReasonStart:
                    reasonStart = ReadString(ref reader, "reason_start", record, fileName, strings);
                    break;
                case Field.ReasonEnd:
                    reasonEnd = ReadString(ref reader, "reason_end", record, fileName, strings);
                    break;
                case Field.Shuffle:
                    shuffle = ReadBoolean(ref reader, "shuffle", record, fileName);
                    break;
                case Field.Skipped:
                    skipped = ReadBoolean(ref reader, "skipped", record, fileName);
                    break;
                case Field.Offline:
                    offline = ReadBoolean(ref reader, "offline", record, fileName);
                    break;
                case Field.Incognito:
                    incognito = ReadBoolean(ref reader, "incognito_mode", record, fileName);
                    break;
                case Field.OfflineTimestamp:
                    offlineAt = ReadOfflineTimestamp(ref reader, record, fileName);
                    break;
                case Field.EndTime:
                    accountData = true;
                    if (!TrySkipValue(ref reader))
                    {
                        return false;
                    }

                    break;
                default:
                    if (!TrySkipValue(ref reader))
                    {
                        return false;
                    }

                    break;
            }
        }

        if (ts is null || msPlayed is null)
        {
            var missing = ts is null ? "ts" : "ms_played";
            throw new ImportFormatException(fileName, record, accountData
                ? $"has no {missing} but endTime: this is an account-data file (StreamingHistory_music_*.json), not extended streaming history"
                : $"has no {missing}");
        }

        var details = new ListeningDetails(reasonStart, reasonEnd, shuffle, skipped, offline, offlineAt, incognito, platform);
        if (trackUri is not null)
        {
            play = new ImportedPlay(record, ImportedKind.Track, ts.Value, msPlayed.Value, trackUri, trackName, artistName, albumName, details, null);
        }
        else if (episodeUri is not null || episodeName is not null)
        {
            play = new ImportedPlay(record, ImportedKind.Episode, ts.Value, msPlayed.Value, episodeUri, episodeName, showName, showName, details, null);
        }
        else if (chapterUri is not null || audiobookUri is not null)
        {
            play = new ImportedPlay(record, ImportedKind.Audiobook, ts.Value, msPlayed.Value, chapterUri ?? audiobookUri, chapterTitle ?? audiobookTitle, null, audiobookTitle, details, null);
        }
        else
        {
            play = new ImportedPlay(record, ImportedKind.Track, ts.Value, msPlayed.Value, null, trackName, artistName, albumName, details, null);
        }

        return true;
    }

    private static DateTimeOffset ReadTs(ref Utf8JsonReader reader, long record, string fileName)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var parsed = reader.ValueIsEscaped
                ? ExportTimes.TryParseTs(Encoding.UTF8.GetBytes(reader.GetString()!), out var value)
                : ExportTimes.TryParseTs(reader.ValueSpan, out value);
            if (parsed)
            {
                return value;
            }
        }

        throw new ImportFormatException(fileName, record, "ts is not a date");
    }

    private static DateTimeOffset? ReadOfflineTimestamp(ref Utf8JsonReader reader, long record, string fileName)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var whole):
                return OfflineTimestamp.FromEpoch(whole);
            case JsonTokenType.Number when reader.TryGetDouble(out var fraction) && double.IsFinite(fraction) && Math.Abs(fraction) < long.MaxValue:
                return OfflineTimestamp.FromEpoch((long)fraction);
            default:
                throw new ImportFormatException(fileName, record, "offline_timestamp is not a number");
        }
    }

    private static Field Lookup(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            Span<byte> unescaped = stackalloc byte[64];
            return reader.ValueSpan.Length <= 64 && reader.CopyString(unescaped) is var length && length <= 64
                ? Lookup(unescaped[..length])
                : Field.Other;
        }

        return Lookup(reader.ValueSpan);
    }

    private static Field Lookup(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("ts"u8) => Field.Ts,
        7 when name.SequenceEqual("shuffle"u8) => Field.Shuffle,
        7 when name.SequenceEqual("skipped"u8) => Field.Skipped,
        7 when name.SequenceEqual("offline"u8) => Field.Offline,
        7 when name.SequenceEqual("endTime"u8) => Field.EndTime,
        8 when name.SequenceEqual("platform"u8) => Field.Platform,
        9 when name.SequenceEqual("ms_played"u8) => Field.MsPlayed,
        10 when name.SequenceEqual("reason_end"u8) => Field.ReasonEnd,
        12 when name.SequenceEqual("reason_start"u8) => Field.ReasonStart,
        12 when name.SequenceEqual("episode_name"u8) => Field.EpisodeName,
        13 when name.SequenceEqual("audiobook_uri"u8) => Field.AudiobookUri,
        14 when name.SequenceEqual("incognito_mode"u8) => Field.Incognito,
        15 when name.SequenceEqual("audiobook_title"u8) => Field.AudiobookTitle,
        17 when name.SequenceEqual("spotify_track_uri"u8) => Field.TrackUri,
        17 when name.SequenceEqual("episode_show_name"u8) => Field.EpisodeShowName,
        17 when name.SequenceEqual("offline_timestamp"u8) => Field.OfflineTimestamp,
        19 when name.SequenceEqual("spotify_episode_uri"u8) => Field.EpisodeUri,
        21 when name.SequenceEqual("audiobook_chapter_uri"u8) => Field.AudiobookChapterUri,
        23 when name.SequenceEqual("audiobook_chapter_title"u8) => Field.AudiobookChapterTitle,
        26 when name.SequenceEqual("master_metadata_track_name"u8) => Field.TrackName,
        32 when name.SequenceEqual("master_metadata_album_album_name"u8) => Field.AlbumName,
        33 when name.SequenceEqual("master_metadata_album_artist_name"u8) => Field.AlbumArtistName,
        _ => Field.Other,
    };
}
