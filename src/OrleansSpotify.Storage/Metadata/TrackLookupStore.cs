namespace OrleansSpotify.Storage.Metadata;

/// <summary>A track whose metadata is still to be looked up on Spotify.</summary>
/// <param name="SpotifyId">Set: look it up by id (<c>GET /tracks/{id}</c>); null: a name-only track, searched by name.</param>
/// <param name="ArtistName">The primary artist's name (null when the track has no artist).</param>
public sealed record PendingTrackLookup(long TrackId, string Uri, string? SpotifyId, string Name, string? ArtistName, int Attempts)
{
    /// <summary>Known only by name (an account-data import): <c>spotify:imported:…</c>.</summary>
    public bool IsNameOnly => Uri.StartsWith(TrackLookupStore.NameOnlyUriPrefix, StringComparison.Ordinal);
}

/// <summary>
/// Which music tracks still lack what Spotify could tell (table <c>track_lookups</c>): tracks with a Spotify id but no
/// duration, album id or album art (extended-history imports), and tracks known only by name (account-data imports).
/// The most played first; a track Spotify answered for is done, one it did not find (or a failed lookup) waits until
/// its <c>next_attempt_at</c>.
/// </summary>
public sealed class TrackLookupStore(SqliteDatabase database)
{
    /// <summary>The URI prefix of tracks an import knew only by artist and title.</summary>
    public const string NameOnlyUriPrefix = "spotify:imported:";

    /// <summary>
    /// Up to <paramref name="limit"/> tracks to look up, the most played first (ties by id). One pass over the plays
    /// counts them per track: the caller takes a page and works through it, not one query per lookup.
    /// </summary>
    public IReadOnlyList<PendingTrackLookup> Pending(int limit, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            WITH candidates AS (
                SELECT t.id, t.uri, t.spotify_id, t.name, coalesce(l.attempts, 0) AS attempts
                FROM tracks t
                LEFT JOIN track_lookups l ON l.track_id = t.id
                LEFT JOIN albums al ON al.id = t.album_id
                WHERE t.kind = 0 AND t.is_local = 0
                  AND (l.track_id IS NULL OR (l.looked_up_at IS NULL AND l.next_attempt_at <= $now))
                  AND ((t.spotify_id IS NOT NULL AND (t.duration_ms <= 0 OR al.spotify_id IS NULL OR al.image_url IS NULL))
                       OR t.uri LIKE 'spotify:imported:%')
            ),
            counts AS (SELECT track_id, count(*) AS n FROM plays WHERE track_id IN (SELECT id FROM candidates) GROUP BY track_id)
            SELECT c.id, c.uri, c.spotify_id, c.name,
                   (SELECT ar.name FROM track_artists ta JOIN artists ar ON ar.id = ta.artist_id WHERE ta.track_id = c.id AND ta.position = 0),
                   c.attempts
            FROM candidates c JOIN counts n ON n.track_id = c.id
            ORDER BY n.n DESC, c.id
            LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var pending = new List<PendingTrackLookup>();
        while (reader.Read())
        {
            pending.Add(new PendingTrackLookup(
                reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), (int)reader.GetInt64(5)));
        }

        return pending;
    }

    /// <summary>
    /// Spotify did not find the track (or the lookup failed): it is not asked about again before <paramref name="retryAt"/>.
    /// </summary>
    public void Later(long trackId, int attempts, DateTimeOffset retryAt)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO track_lookups (track_id, looked_up_at, attempts, next_attempt_at) VALUES ($id, NULL, $attempts, $retry)
            ON CONFLICT (track_id) DO UPDATE SET looked_up_at = NULL, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at;
            """;
        command.Parameters.AddWithValue("$id", trackId);
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$retry", UnixTime.ToMs(retryAt));
        command.ExecuteNonQuery();
    }
}
