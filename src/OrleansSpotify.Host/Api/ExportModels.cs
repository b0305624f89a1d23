namespace OrleansSpotify.Host.Api;

// The shape of the json export (the orleans-spotify-plays document written by Storage.Export.JsonPlayWriter), for the
// OpenAPI document only: the writer streams it with a Utf8JsonWriter, and a test holds the two to the same names.

/// <summary>The <c>orleans-spotify-plays</c> document: every field of every play, importable again.</summary>
/// <param name="Format">Always <c>orleans-spotify-plays</c>; the first property.</param>
/// <param name="Version">The document's version (1).</param>
/// <param name="Accounts">One account (an account's export) or the household's (its export).</param>
public sealed record ExportDocumentView(string Format, int Version, DateTimeOffset ExportedAt, IReadOnlyList<ExportAccountView> Accounts);

/// <param name="Plays">Oldest first.</param>
public sealed record ExportAccountView(string Id, string DisplayName, IReadOnlyList<ExportPlayView> Plays);

/// <param name="PlayedAt">The end of the play, UTC, to the millisecond.</param>
/// <param name="MsPlayed">Milliseconds played when the source reported it; null when it did not (recently-played).</param>
/// <param name="Source"><c>recently-played</c>, <c>import-extended-history</c> or <c>import-account-data</c>.</param>
public sealed record ExportPlayView(DateTimeOffset PlayedAt, long? MsPlayed, string Source, ExportContextView? Context, ExportTrackView Track);

public sealed record ExportContextView(string Uri, string? Type);

/// <param name="Artists">Every artist, in Spotify's order (the first is the primary artist).</param>
/// <param name="Kind"><c>track</c> (music), <c>episode</c> (a podcast episode) or <c>audiobook</c> (a chapter): only music is in the music stats. Absent in older files: music.</param>
/// <param name="Collection">The album, show or audiobook title an import named, for a track without a catalogued album (its show, for an episode).</param>
/// <param name="Album">The album; one without <c>id</c> is an album an import named (no Spotify id yet).</param>
public sealed record ExportTrackView(string Uri, string? Id, string Name, long DurationMs, bool Explicit, bool IsLocal, string? Isrc, string Kind, string? Collection, ExportAlbumView? Album, IReadOnlyList<ExportArtistView> Artists);

public sealed record ExportAlbumView(string? Id, string Name, string? Type, string? ReleaseDate, string? ImageUrl);

public sealed record ExportArtistView(string? Id, string Name);
