using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

/// <summary>
/// What the stats need to know of every track, as arrays indexed by track id: its album and primary artist.
/// Tracks are never re-parented in practice, so the snapshot only grows; <see cref="CatalogCache"/> extends it.
/// </summary>
public sealed class CatalogSnapshot
{
    internal CatalogSnapshot(int[] albumOf, int[] artistOf, long maxTrackId, bool[]? isLocal = null)
    {
        IsLocalOf = isLocal ?? new bool[albumOf.Length];
        AlbumOf = albumOf;
        ArtistOf = artistOf;
        MaxTrackId = maxTrackId;
        MaxAlbumId = albumOf.Length == 0 ? 0 : albumOf.Max();
        MaxArtistId = artistOf.Length == 0 ? 0 : artistOf.Max();
    }

    /// <summary>Album id per track id (0: none).</summary>
    public int[] AlbumOf { get; }

    /// <summary>Primary artist id per track id (0: none).</summary>
    public int[] ArtistOf { get; }

    public long MaxTrackId { get; }

    /// <summary>The largest album id any track has (the size of an array indexed by album).</summary>
    public int MaxAlbumId { get; }

    /// <summary>The largest primary-artist id any track has.</summary>
    public int MaxArtistId { get; }

    /// <summary>Whether a track id is a local file (<c>tracks.is_local</c>).</summary>
    public bool[] IsLocalOf { get; }

    public bool IsLocal(int trackId) => trackId < IsLocalOf.Length && IsLocalOf[trackId];

    public int Album(int trackId) => trackId < AlbumOf.Length ? AlbumOf[trackId] : 0;

    public int Artist(int trackId) => trackId < ArtistOf.Length ? ArtistOf[trackId] : 0;
}

/// <summary>Names and pictures for the few ids a ranked list shows.</summary>
public sealed record CatalogEntry(int Id, string? SpotifyId, string Name, string? Subtitle, string? ImageUrl);

/// <summary>
/// What ranked lists break ties by once the measures are equal: the name, then the Spotify URI (tracks) or id (artists,
/// albums; null for name-only ones, which sort first), both ordinal. It travels with the data, unlike the row id.
/// </summary>
public readonly record struct CatalogSortKey(string Name, string? Uri)
{
    /// <summary>Name, then URI, ordinal; a missing key (default) sorts first.</summary>
    public static int Compare(CatalogSortKey a, CatalogSortKey b)
    {
        var c = string.CompareOrdinal(a.Name, b.Name);
        return c != 0 ? c : string.CompareOrdinal(a.Uri, b.Uri);
    }
}

/// <summary>
/// Keeps one <see cref="CatalogSnapshot"/> per process, loading only tracks added since the last look. Polling and
/// imports only add tracks; the metadata lookups re-parent some (an album found, artists merged, a name-only track
/// folded away) and then <see cref="Invalidate"/> it: the next look reads the whole catalogue again.
/// </summary>
public sealed class CatalogCache(SqliteDatabase database)
{
    private readonly Lock _lock = new();
    private CatalogSnapshot _snapshot = new([], [], 0);

    /// <summary>Tracks changed album or primary artist: the snapshot is read afresh on the next look.</summary>
    public void Invalidate()
    {
        lock (_lock)
        {
            _snapshot = new CatalogSnapshot([], [], 0);
        }
    }

    public CatalogSnapshot Current(long requiredTrackId = long.MaxValue)
    {
        lock (_lock)
        {
            if (_snapshot.MaxTrackId > 0 && requiredTrackId <= _snapshot.MaxTrackId)
            {
                return _snapshot;
            }

            _snapshot = Extend(_snapshot);
            return _snapshot;
        }
    }

    public IReadOnlyDictionary<int, CatalogEntry> Tracks(IReadOnlyCollection<int> ids) => Lookup(ids, """
        SELECT t.id, t.spotify_id, t.name,
               (SELECT group_concat(name, ', ') FROM (SELECT ar.name FROM track_artists ta JOIN artists ar ON ar.id = ta.artist_id WHERE ta.track_id = t.id ORDER BY ta.position)),
               al.image_url
        FROM tracks t LEFT JOIN albums al ON al.id = t.album_id WHERE t.id IN ({0});
        """);

    public IReadOnlyDictionary<int, CatalogEntry> Artists(IReadOnlyCollection<int> ids) => Lookup(ids,
        "SELECT id, spotify_id, name, NULL, NULL FROM artists WHERE id IN ({0});");

    /// <summary>
    /// Albums with their subtitle artist: the artist primary on most of the album's tracks, ties by name then
    /// Spotify id (ordinal), so the choice does not depend on the order rows were stored in.
    /// </summary>
    public IReadOnlyDictionary<int, CatalogEntry> Albums(IReadOnlyCollection<int> ids) => Lookup(ids, """
        SELECT al.id, al.spotify_id, al.name,
               (SELECT ar.name FROM tracks t JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0 JOIN artists ar ON ar.id = ta.artist_id
                WHERE t.album_id = al.id GROUP BY ar.id ORDER BY count(*) DESC, ar.name COLLATE BINARY, ar.spotify_id COLLATE BINARY LIMIT 1),
               al.image_url
        FROM albums al WHERE al.id IN ({0});
        """);

    /// <summary>The tie-break keys (<see cref="CatalogSortKey"/>) of the given track, primary-artist or album ids.</summary>
    public IReadOnlyDictionary<int, CatalogSortKey> SortKeys(TopKind kind, IReadOnlyCollection<int> ids)
    {
        var sql = kind switch
        {
            TopKind.Tracks => "SELECT id, name, uri FROM tracks WHERE id IN ({0});",
            TopKind.Artists => "SELECT id, name, spotify_id FROM artists WHERE id IN ({0});",
            _ => "SELECT id, name, spotify_id FROM albums WHERE id IN ({0});",
        };
        var result = new Dictionary<int, CatalogSortKey>(ids.Count);
        using var connection = database.Open();
        foreach (var chunk in ids.Chunk(500))
        {
            using var command = connection.CreateCommand();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "$p" + i;
                command.Parameters.AddWithValue(names[i], chunk[i]);
            }

            command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, string.Join(", ", names));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result[(int)reader.GetInt64(0)] = new CatalogSortKey(reader.GetString(1), Text(reader, 2));
            }
        }

        return result;
    }

    private IReadOnlyDictionary<int, CatalogEntry> Lookup(IReadOnlyCollection<int> ids, string sql)
    {
        var result = new Dictionary<int, CatalogEntry>();
        if (ids.Count == 0)
        {
            return result;
        }

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var names = new List<string>();
        var i = 0;
        foreach (var id in ids)
        {
            names.Add("$p" + i);
            command.Parameters.AddWithValue("$p" + i++, id);
        }

        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, string.Join(", ", names));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = (int)reader.GetInt64(0);
            result[id] = new CatalogEntry(id, Text(reader, 1), reader.GetString(2), Text(reader, 3), Text(reader, 4));
        }

        return result;
    }

    private CatalogSnapshot Extend(CatalogSnapshot previous)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.id, coalesce(t.album_id, 0), coalesce(ta.artist_id, 0), t.is_local
            FROM tracks t LEFT JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0
            WHERE t.id > $after ORDER BY t.id;
            """;
        command.Parameters.AddWithValue("$after", previous.MaxTrackId);
        var rows = new List<(long Track, int Album, int Artist, bool Local)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), reader.GetInt64(3) != 0));
            }
        }

        if (rows.Count == 0)
        {
            return previous.MaxTrackId > 0 ? previous : new CatalogSnapshot([], [], 0);
        }

        var max = rows[^1].Track;
        var albums = new int[max + 1];
        var artists = new int[max + 1];
        var local = new bool[max + 1];
        previous.AlbumOf.CopyTo(albums, 0);
        previous.ArtistOf.CopyTo(artists, 0);
        previous.IsLocalOf.CopyTo(local, 0);
        foreach (var (track, album, artist, isLocal) in rows)
        {
            albums[track] = album;
            artists[track] = artist;
            local[track] = isLocal;
        }

        return new CatalogSnapshot(albums, artists, max, local);
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
