namespace OrleansSpotify.Storage;

/// <summary>An artist whose genres are still to be fetched.</summary>
public sealed record PendingArtist(int ArtistId, string SpotifyId, int Attempts);

/// <summary>Artist genres cached from Spotify (table <c>artist_genres</c>).</summary>
public sealed class GenreStore(SqliteDatabase database)
{
    /// <summary>Artists never fetched (or whose failed fetch may be retried by now), the most played first.</summary>
    public IReadOnlyList<PendingArtist> Pending(int limit, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT ar.id, ar.spotify_id, coalesce(g.attempts, 0)
            FROM artists ar LEFT JOIN artist_genres g ON g.artist_id = ar.id
            WHERE ar.spotify_id IS NOT NULL
              AND (g.artist_id IS NULL OR (g.fetched_at IS NULL AND g.next_attempt_at <= $now))
            ORDER BY (SELECT count(*) FROM track_artists ta WHERE ta.artist_id = ar.id AND ta.position = 0) DESC, ar.id
            LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var pending = new List<PendingArtist>();
        while (reader.Read())
        {
            pending.Add(new PendingArtist((int)reader.GetInt64(0), reader.GetString(1), (int)reader.GetInt64(2)));
        }

        return pending;
    }

    /// <summary>Records what Spotify said: the genres, or null when it gave none (the artist stays "unknown").</summary>
    public void Save(int artistId, IReadOnlyList<string>? genres, DateTimeOffset now) => Upsert(artistId, genres is null ? null : string.Join('\n', genres), now, 0);

    /// <summary>Records a failed fetch; it is retried after <paramref name="retryAt"/>.</summary>
    public void Failed(int artistId, int attempts, DateTimeOffset retryAt)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO artist_genres (artist_id, genres, fetched_at, attempts, next_attempt_at) VALUES ($id, NULL, NULL, $attempts, $retry)
            ON CONFLICT (artist_id) DO UPDATE SET attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at;
            """;
        command.Parameters.AddWithValue("$id", artistId);
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$retry", UnixTime.ToMs(retryAt));
        command.ExecuteNonQuery();
    }

    /// <summary>Known genres per artist id (only artists with at least one genre), and how many artists were fetched.</summary>
    public (IReadOnlyDictionary<int, string[]> Genres, int Fetched) Load()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT artist_id, genres FROM artist_genres WHERE fetched_at IS NOT NULL;";
        using var reader = command.ExecuteReader();
        var genres = new Dictionary<int, string[]>();
        var fetched = 0;
        while (reader.Read())
        {
            fetched++;
            if (!reader.IsDBNull(1) && reader.GetString(1) is { Length: > 0 } text)
            {
                genres[(int)reader.GetInt64(0)] = text.Split('\n');
            }
        }

        return (genres, fetched);
    }

    private void Upsert(int artistId, string? genres, DateTimeOffset now, int attempts)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO artist_genres (artist_id, genres, fetched_at, attempts, next_attempt_at) VALUES ($id, $genres, $now, $attempts, 0)
            ON CONFLICT (artist_id) DO UPDATE SET genres = excluded.genres, fetched_at = excluded.fetched_at, attempts = excluded.attempts, next_attempt_at = 0;
            """;
        command.Parameters.AddWithValue("$id", artistId);
        command.Parameters.AddWithValue("$genres", (object?)genres ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.Parameters.AddWithValue("$attempts", attempts);
        command.ExecuteNonQuery();
    }
}

/// <summary>The known genres per artist, loaded once and reloaded after the genre fetcher stored new ones.</summary>
public sealed class GenreCatalog(GenreStore store)
{
    private readonly Lock _lock = new();
    private (IReadOnlyDictionary<int, string[]> Genres, int Fetched)? _current;
    private long _version;

    /// <summary>Changes whenever new genres were stored; part of the cache key of genre answers.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyDictionary<int, string[]> Current()
    {
        lock (_lock)
        {
            _current ??= store.Load();
            return _current.Value.Genres;
        }
    }

    public void Invalidate()
    {
        lock (_lock)
        {
            _current = null;
            Interlocked.Increment(ref _version);
        }
    }
}
