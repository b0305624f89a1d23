using System.Collections.Immutable;

namespace OrleansSpotify.Abstractions;

/// <summary>What an imported row was: music, a podcast episode, or an audiobook chapter.</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.ImportedKind")]
public enum ImportedKind
{
    Track = 0,
    Episode = 1,
    Audiobook = 2,
}

/// <summary>The file formats an import reads.</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.ImportFormat")]
public enum ImportFormat
{
    /// <summary>Spotify's extended streaming history (<c>Streaming_History_Audio_*.json</c>, <c>_Video_</c>, older <c>endsong_*.json</c>).</summary>
    ExtendedHistory = 0,

    /// <summary>Spotify's account-data export (<c>StreamingHistory_music_*.json</c>, <c>_podcast_</c>, older <c>StreamingHistory*.json</c>).</summary>
    AccountData = 1,

    /// <summary>This service's own <c>json</c> export (every field of a play; a round trip reproduces every stat).</summary>
    OrleansSpotify = 2,
}

/// <summary>
/// Extended streaming history's fields beyond what a play needs, kept for the history view and the import report.
/// IP address and user agent are never read into it.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ListeningDetails")]
public sealed record ListeningDetails(
    [property: Id(0)] string? ReasonStart,
    [property: Id(1)] string? ReasonEnd,
    [property: Id(2)] bool? Shuffle,
    [property: Id(3)] bool? Skipped,
    [property: Id(4)] bool? Offline,
    [property: Id(5)] DateTimeOffset? OfflineAt,
    [property: Id(6)] bool? Incognito,
    [property: Id(7)] string? Platform);

/// <summary>
/// One row of an imported file, as the file says it, before it is matched to the catalogue and to polled plays.
/// <see cref="EndedAt"/> is the end of the stream in UTC (the same instant as a polled play's <c>played_at</c>), to the
/// precision the format has (<see cref="ImportFormat.ExtendedHistory"/>: seconds; <see cref="ImportFormat.AccountData"/>:
/// minutes). <see cref="Record"/> is the row's 0-based index in its file: errors name it and a resumed import skips to it.
/// </summary>
/// <param name="Uri"><c>spotify:track:…</c>, <c>spotify:episode:…</c> or an audiobook/chapter URI; null in account data and for rows without one.</param>
/// <param name="Name">Track, episode or chapter name; null when the row has none (extended history has such rows).</param>
/// <param name="ArtistName">The album artist (extended history), <c>artistName</c> (account data), or the show's name for episodes.</param>
/// <param name="CollectionName">Album, show or audiobook title.</param>
/// <param name="Exact"><see cref="ImportFormat.OrleansSpotify"/> only: the play exactly as it was stored (catalogue ids, context, source).</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ImportedPlay")]
public sealed record ImportedPlay(
    [property: Id(0)] long Record,
    [property: Id(1)] ImportedKind Kind,
    [property: Id(2)] DateTimeOffset EndedAt,
    [property: Id(3)] long MsPlayed,
    [property: Id(4)] string? Uri,
    [property: Id(5)] string? Name,
    [property: Id(6)] string? ArtistName,
    [property: Id(7)] string? CollectionName,
    [property: Id(8)] ListeningDetails? Details,
    [property: Id(9)] PlayRecord? Exact);

/// <summary>How one batch of imported rows landed.</summary>
/// <param name="Imported">Rows stored as new plays (music, episodes and audiobooks alike).</param>
/// <param name="Merged">Rows that were a play already polled from recently-played: that play kept its time and source and gained the real <c>ms_played</c>.</param>
/// <param name="Duplicates">Rows already stored by an earlier import (re-imported files, overlapping exports, duplicates inside one export).</param>
/// <param name="Skipped">Rows left out, by reason (e.g. <c>"no track name"</c>).</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ImportBatchResult")]
public sealed record ImportBatchResult(
    [property: Id(0)] int Imported,
    [property: Id(1)] int Merged,
    [property: Id(2)] int Duplicates,
    [property: Id(3)] ImmutableDictionary<string, int> Skipped);
