using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Import;

namespace OrleansSpotify.Storage;

/// <summary>One play to store, with the account it belongs to.</summary>
public readonly record struct PendingPlay(string AccountKey, PlayRecord Play);

/// <summary>
/// The single writer of plays. Each <see cref="Write"/> is one transaction: catalogue rows (artists, albums,
/// tracks, contexts) are upserted, plays are inserted with <c>ON CONFLICT DO NOTHING</c> on their identity
/// (account, played_at, track), so re-reads and replays of a batch insert nothing twice.
/// Not thread-safe: the StorageGrain (or a benchmark loop) owns one instance.
/// </summary>
public sealed class PlayWriter : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, long> _accountIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _trackIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _artistIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _albumIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _contextIds = new(StringComparer.Ordinal);
    private readonly SqliteCommand _insertPlay;
    private readonly SqliteCommand _upsertTrack;
    private readonly SqliteCommand _upsertArtistById;
    private readonly SqliteCommand _upsertArtistByName;
    private readonly SqliteCommand _findArtistById;
    private readonly SqliteCommand _adoptArtistId;
    private Dictionary<string, long>? _nameOnlyArtists;
    private readonly PolledAfterImport _afterImport;
    private readonly SqliteCommand _chunks;
    private readonly SqliteCommand _patchChunk;
    private readonly SqliteCommand _upsertAlbum;
    private readonly SqliteCommand _insertTrackArtist;
    private readonly SqliteCommand _upsertContext;
    private readonly SqliteCommand _findAccount;
    private readonly SqliteCommand _lastChunk;
    private readonly SqliteCommand _saveChunk;
    private readonly SqliteCommand _nearestPlay;
    private readonly SqliteCommand _attachMs;
    private readonly SqliteCommand _deletePlay;
    private readonly SqliteCommand _insertTakenOver;

    /// <summary>
    /// How far apart a live play and a recently-played play of the same track may end and still be one play (the
    /// listener's <c>LivePlayCapture.MatchTolerance</c>, repeated here so the writer settles what reaches it late).
    /// </summary>
    public static readonly TimeSpan LiveMatchTolerance = TimeSpan.FromSeconds(15);

    public PlayWriter(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _connection = database.Open();
        _nearestPlay = Prepare("""
            SELECT played_at, ms_played, source_id, context_id FROM plays
            WHERE account_id = $account AND played_at >= $from AND played_at <= $to AND track_id = $track AND ($live_only = 0 OR source_id = 4)
            ORDER BY abs(played_at - $at) LIMIT 1;
            """, "$account", "$from", "$to", "$track", "$live_only", "$at");
        _attachMs = Prepare("""
            UPDATE plays SET ms_played = $ms WHERE account_id = $account AND played_at = $played_at AND track_id = $track AND ms_played IS NULL;
            """, "$ms", "$account", "$played_at", "$track");
        _deletePlay = Prepare("DELETE FROM plays WHERE account_id = $account AND played_at = $played_at AND track_id = $track;", "$account", "$played_at", "$track");
        _insertTakenOver = Prepare("""
            INSERT INTO plays (account_id, played_at, track_id, ms_played, context_id, source_id)
            VALUES ($account, $played_at, $track, $ms_played, $context, $source)
            ON CONFLICT (account_id, played_at, track_id) DO NOTHING;
            """, "$account", "$played_at", "$track", "$ms_played", "$context", "$source");
        _insertPlay = Prepare("""
            INSERT INTO plays (account_id, played_at, track_id, ms_played, context_id, source_id)
            VALUES ($account, $played_at, $track, $ms_played, $context, $source)
            ON CONFLICT (account_id, played_at, track_id) DO NOTHING;
            """, "$account", "$played_at", "$track", "$ms_played", "$context", "$source");
        _upsertTrack = Prepare("""
            INSERT INTO tracks (uri, spotify_id, name, duration_ms, explicit, is_local, isrc, album_id, kind, collection_name)
            VALUES ($uri, $spotify_id, $name, $duration_ms, $explicit, $is_local, $isrc, $album, $kind, $collection)
            ON CONFLICT (uri) DO UPDATE SET
                name = excluded.name,
                duration_ms = CASE WHEN excluded.duration_ms > 0 THEN excluded.duration_ms ELSE tracks.duration_ms END,
                isrc = coalesce(excluded.isrc, tracks.isrc),
                album_id = coalesce(excluded.album_id, tracks.album_id)
            RETURNING id;
            """, "$uri", "$spotify_id", "$name", "$duration_ms", "$explicit", "$is_local", "$isrc", "$album", "$kind", "$collection");
        _upsertArtistById = Prepare("""
            INSERT INTO artists (spotify_id, name) VALUES ($spotify_id, $name)
            ON CONFLICT (spotify_id) DO UPDATE SET name = excluded.name
            RETURNING id;
            """, "$spotify_id", "$name");
        _upsertArtistByName = Prepare("""
            INSERT INTO artists (spotify_id, name) VALUES (NULL, $name)
            ON CONFLICT (name) WHERE spotify_id IS NULL DO UPDATE SET name = excluded.name
            RETURNING id;
            """, "$name");
        _chunks = Prepare("SELECT chunk, play_count, data FROM play_log_chunks WHERE account_id = $account ORDER BY chunk DESC;", "$account");
        _patchChunk = Prepare("UPDATE play_log_chunks SET data = $data WHERE account_id = $account AND chunk = $chunk;", "$data", "$account", "$chunk");
        _afterImport = new PolledAfterImport(this);
        _findArtistById = Prepare("SELECT id FROM artists WHERE spotify_id = $spotify_id;", "$spotify_id");
        _adoptArtistId = Prepare("UPDATE artists SET spotify_id = $spotify_id, name = $name WHERE id = $id;", "$spotify_id", "$name", "$id");
        _upsertAlbum = Prepare("""
            INSERT INTO albums (spotify_id, name, album_type, release_date, image_url) VALUES ($spotify_id, $name, $album_type, $release_date, $image_url)
            ON CONFLICT (spotify_id) DO UPDATE SET
                name = excluded.name,
                album_type = coalesce(excluded.album_type, albums.album_type),
                release_date = coalesce(excluded.release_date, albums.release_date),
                image_url = coalesce(excluded.image_url, albums.image_url)
            RETURNING id;
            """, "$spotify_id", "$name", "$album_type", "$release_date", "$image_url");
        _insertTrackArtist = Prepare("""
            INSERT INTO track_artists (track_id, position, artist_id) VALUES ($track, $position, $artist)
            ON CONFLICT (track_id, position) DO UPDATE SET artist_id = excluded.artist_id;
            """, "$track", "$position", "$artist");
        _upsertContext = Prepare("""
            INSERT INTO contexts (uri, type) VALUES ($uri, $type)
            ON CONFLICT (uri) DO UPDATE SET type = coalesce(excluded.type, contexts.type)
            RETURNING id;
            """, "$uri", "$type");
        _findAccount = Prepare("SELECT id FROM accounts WHERE account_key = $key;", "$key");
        _lastChunk = Prepare("SELECT chunk, play_count, data FROM play_log_chunks WHERE account_id = $account ORDER BY chunk DESC LIMIT 1;", "$account");
        _saveChunk = Prepare("""
            INSERT INTO play_log_chunks (account_id, chunk, play_count, data) VALUES ($account, $chunk, $count, $data)
            ON CONFLICT (account_id, chunk) DO UPDATE SET play_count = excluded.play_count, data = excluded.data;
            """, "$account", "$chunk", "$count", "$data");
    }

    /// <summary>
    /// Stores the plays in one transaction and returns, for each play in order, whether it was new.
    /// Throws <see cref="UnknownAccountException"/> (and stores nothing) if an account does not exist.
    /// </summary>
    public bool[] Write(IReadOnlyList<PendingPlay> plays) => Write(plays, out _);

    /// <summary>
    /// Stores the plays in one transaction and returns, for each play in order, whether it was new;
    /// <paramref name="changed"/> says, for each, whether it changed a stored play instead (its real <c>ms_played</c>
    /// attached, or a live play that became this recently-played one). Live plays (<see cref="PlaySource.Live"/>) of
    /// a Spotify track are reconciled here too: one that ends within <see cref="LiveMatchTolerance"/> of a stored play
    /// of the same track is that play (its <c>ms_played</c> is attached when the stored one has none), and a
    /// recently-played play that ends that close to a stored live play takes it over (its time, the live <c>ms_played</c>).
    /// </summary>
    public bool[] Write(IReadOnlyList<PendingPlay> plays, out bool[] changed)
    {
        var inserted = new bool[plays.Count];
        changed = new bool[plays.Count];
        if (plays.Count == 0)
        {
            return inserted;
        }

        // The connection stays open: the size cap may have changed since it was opened.
        _database.ApplySizeLimit(_connection);
        using var transaction = _connection.BeginTransaction(deferred: false);
        try
        {
            var logged = new Dictionary<long, List<(long PlayedAt, int TrackId, int Ms)>>();
            var moved = new Dictionary<long, Dictionary<(long PlayedAt, int TrackId), (long PlayedAt, int Ms)>>();
            for (var i = 0; i < plays.Count; i++)
            {
                var (accountKey, play) = plays[i];
                var accountId = AccountId(accountKey, transaction);
                var trackId = TrackId(play.Track, transaction);
                long? contextId = string.IsNullOrEmpty(play.ContextUri) ? null : ContextId(play.ContextUri, play.ContextType, transaction);
                var playedAt = UnixTime.ToMs(play.PlayedAt);

                if (play.Source == PlaySource.RecentlyPlayed && _afterImport.TakeOver(accountId, playedAt, trackId, contextId, transaction) is { } taken)
                {
                    // The play was imported first: the imported row became this polled play (its time, source, context).
                    inserted[i] = taken.Inserted;
                    if (taken.Inserted)
                    {
                        if (!moved.TryGetValue(accountId, out var changes))
                        {
                            moved[accountId] = changes = [];
                        }

                        changes[(taken.ImportedAt, (int)trackId)] = (playedAt, taken.EncodedMs);
                    }

                    continue;
                }

                if (ReconcileLive(accountId, playedAt, trackId, contextId, play, transaction, moved) is { } reconciled)
                {
                    changed[i] = reconciled;
                    continue;
                }

                Bind(_insertPlay, transaction, accountId, playedAt, trackId, play.MsPlayed, contextId, (int)play.Source);
                inserted[i] = _insertPlay.ExecuteNonQuery() == 1;
                if (!inserted[i] && play.MsPlayed is { } ms && AttachMs(accountId, playedAt, trackId, ms, play.Track.DurationMs, transaction, moved))
                {
                    changed[i] = true;
                }

                if (inserted[i] && !IsEpisode(play.Track.Uri))
                {
                    if (!logged.TryGetValue(accountId, out var records))
                    {
                        logged[accountId] = records = [];
                    }

                    records.Add((playedAt, (int)trackId, PlayLogFormat.EncodeMs(play.MsPlayed, play.Track.DurationMs)));
                }
            }

            foreach (var (accountId, records) in logged)
            {
                AppendToLog(accountId, records, transaction);
            }

            foreach (var (accountId, changes) in moved)
            {
                RewriteLog(accountId, changes, transaction);
            }

            transaction.Commit();
            return inserted;
        }
        catch
        {
            // Ids cached during the failed transaction may name rows that were rolled back.
            ClearCaches();
            throw;
        }
    }

    /// <summary>
    /// A live play of a Spotify track near a stored play of the same track, or a recently-played play near a stored
    /// live play: settled here (true: a stored play changed; false: nothing to do). Null: store the play as usual.
    /// </summary>
    private bool? ReconcileLive(long accountId, long playedAt, long trackId, long? contextId, PlayRecord play, SqliteTransaction transaction,
        Dictionary<long, Dictionary<(long PlayedAt, int TrackId), (long PlayedAt, int Ms)>> moved)
    {
        var live = play.Source == PlaySource.Live;
        if ((!live && play.Source != PlaySource.RecentlyPlayed) || !play.Track.Uri.StartsWith("spotify:track:", StringComparison.Ordinal))
        {
            return null;
        }

        var window = (long)LiveMatchTolerance.TotalMilliseconds;
        Bind(_nearestPlay, transaction, accountId, playedAt - window, playedAt + window, trackId, live ? 0 : 1, playedAt);
        (long At, long? Ms, long? Context)? nearest = null;
        using (var reader = _nearestPlay.ExecuteReader())
        {
            if (reader.Read())
            {
                nearest = (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(3) ? null : reader.GetInt64(3));
            }
        }

        if (nearest is not { } found)
        {
            return null;
        }

        if (live)
        {
            // The play is stored already (listed by recently-played, or this live play offered again): at most its time is learnt.
            return play.MsPlayed is { } ms && AttachMs(accountId, found.At, trackId, ms, play.Track.DurationMs, transaction, moved);
        }

        if (found.At == playedAt)
        {
            return null;
        }

        // Recently-played lists a play stored live before (it listed it late): the listed time wins, the live ms stays.
        var msPlayed = play.MsPlayed ?? found.Ms;
        Bind(_insertTakenOver, transaction, accountId, playedAt, trackId, msPlayed, contextId ?? found.Context, (int)PlaySource.RecentlyPlayed);
        if (_insertTakenOver.ExecuteNonQuery() == 0)
        {
            return false;
        }

        Bind(_deletePlay, transaction, accountId, found.At, trackId);
        _deletePlay.ExecuteNonQuery();
        Changes(moved, accountId)[(found.At, (int)trackId)] = (playedAt, PlayLogFormat.EncodeMs(msPlayed, play.Track.DurationMs));
        return true;
    }

    /// <summary>Sets the real <c>ms_played</c> of a stored play that has none (and its packed record); true when it did.</summary>
    private bool AttachMs(long accountId, long playedAt, long trackId, long ms, long durationMs, SqliteTransaction transaction,
        Dictionary<long, Dictionary<(long PlayedAt, int TrackId), (long PlayedAt, int Ms)>> moved)
    {
        Bind(_attachMs, transaction, ms, accountId, playedAt, trackId);
        if (_attachMs.ExecuteNonQuery() == 0)
        {
            return false;
        }

        Changes(moved, accountId)[(playedAt, (int)trackId)] = (playedAt, PlayLogFormat.EncodeMs(ms, durationMs));
        return true;
    }

    private static Dictionary<(long PlayedAt, int TrackId), (long PlayedAt, int Ms)> Changes(
        Dictionary<long, Dictionary<(long PlayedAt, int TrackId), (long PlayedAt, int Ms)>> moved, long accountId)
    {
        if (!moved.TryGetValue(accountId, out var changes))
        {
            moved[accountId] = changes = [];
        }

        return changes;
    }

    /// <summary>Podcast episodes are tracks of kind 1, kept out of the packed log (music stats never see them).</summary>
    public static bool IsEpisode(string uri) => uri.StartsWith("spotify:episode:", StringComparison.Ordinal);

    /// <summary>The writer's one connection: the importer (<see cref="PlayImporter"/>) writes through it too.</summary>
    internal SqliteConnection Connection => _connection;

    internal SqliteDatabase Database => _database;

    public void Dispose()
    {
        _afterImport.Dispose();
        _chunks.Dispose();
        _patchChunk.Dispose();
        foreach (var command in new[] { _nearestPlay, _attachMs, _deletePlay, _insertTakenOver, _insertPlay, _upsertTrack, _upsertArtistById, _upsertArtistByName, _findArtistById, _adoptArtistId, _upsertAlbum, _insertTrackArtist, _upsertContext, _findAccount, _lastChunk, _saveChunk })
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    internal long AccountId(string accountKey, SqliteTransaction transaction)
    {
        if (_accountIds.TryGetValue(accountKey, out var id))
        {
            return id;
        }

        Bind(_findAccount, transaction, accountKey);
        var found = _findAccount.ExecuteScalar() ?? throw new UnknownAccountException(accountKey);
        id = (long)found;
        _accountIds[accountKey] = id;
        return id;
    }

    internal long TrackId(TrackInfo track, SqliteTransaction transaction)
    {
        if (_trackIds.TryGetValue(track.Uri, out var id))
        {
            return id;
        }

        // An episode (live capture) is a track of kind 1, kept out of the packed log; its show is its collection, not an album.
        var episode = IsEpisode(track.Uri);
        long? albumId = !episode && track.Album is { } album ? AlbumId(album, transaction) : null;
        Bind(_upsertTrack, transaction, track.Uri, track.SpotifyId, track.Name, track.DurationMs, track.Explicit ? 1 : 0, track.IsLocal ? 1 : 0, track.Isrc, albumId,
            episode ? 1 : 0, episode ? track.Album?.Name : null);
        id = (long)_upsertTrack.ExecuteScalar()!;

        var artists = track.Artists.IsDefault ? [] : track.Artists;
        for (var position = 0; position < artists.Length; position++)
        {
            Bind(_insertTrackArtist, transaction, id, position, ArtistId(artists[position], transaction));
            _insertTrackArtist.ExecuteNonQuery();
        }

        _trackIds[track.Uri] = id;
        return id;
    }

    internal long ArtistId(ArtistInfo artist, SqliteTransaction transaction)
    {
        var cacheKey = artist.SpotifyId is { Length: > 0 } spotifyId ? "id:" + spotifyId : "name:" + artist.Name;
        if (_artistIds.TryGetValue(cacheKey, out var id))
        {
            return id;
        }

        if (artist.SpotifyId is { Length: > 0 })
        {
            // An artist first known by name (from an import, or a local file) takes the id when it shows up, so the
            // stats never list one artist twice.
            Bind(_findArtistById, transaction, artist.SpotifyId);
            if (_findArtistById.ExecuteScalar() is null && NameOnlyArtists(transaction).Remove(NameKey.Normalise(artist.Name), out var nameOnly))
            {
                Bind(_adoptArtistId, transaction, artist.SpotifyId, artist.Name, nameOnly);
                _adoptArtistId.ExecuteNonQuery();
                id = nameOnly;
            }
            else
            {
                Bind(_upsertArtistById, transaction, artist.SpotifyId, artist.Name);
                id = (long)_upsertArtistById.ExecuteScalar()!;
            }
        }
        else
        {
            Bind(_upsertArtistByName, transaction, artist.Name);
            id = (long)_upsertArtistByName.ExecuteScalar()!;
            NameOnlyArtists(transaction).TryAdd(NameKey.Normalise(artist.Name), id);
        }

        _artistIds[cacheKey] = id;
        return id;
    }

    /// <summary>Artists stored without a Spotify id, by <see cref="NameKey"/>; read once, then kept up to date.</summary>
    private Dictionary<string, long> NameOnlyArtists(SqliteTransaction transaction)
    {
        if (_nameOnlyArtists is { } known)
        {
            return known;
        }

        known = new Dictionary<string, long>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, name FROM artists WHERE spotify_id IS NULL ORDER BY id;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            known.TryAdd(NameKey.Normalise(reader.GetString(1)), reader.GetInt64(0));
        }

        _nameOnlyArtists = known;
        return known;
    }

    private long? AlbumId(AlbumInfo album, SqliteTransaction transaction)
    {
        // Albums without a Spotify id (local files) are not catalogued: nothing would identify them.
        if (album.SpotifyId is not { Length: > 0 } spotifyId)
        {
            return null;
        }

        if (_albumIds.TryGetValue(spotifyId, out var id))
        {
            return id;
        }

        Bind(_upsertAlbum, transaction, spotifyId, album.Name, album.AlbumType, album.ReleaseDate, album.ImageUrl);
        id = (long)_upsertAlbum.ExecuteScalar()!;
        _albumIds[spotifyId] = id;
        return id;
    }

    internal long ContextId(string uri, string? type, SqliteTransaction transaction)
    {
        if (_contextIds.TryGetValue(uri, out var id))
        {
            return id;
        }

        Bind(_upsertContext, transaction, uri, type);
        id = (long)_upsertContext.ExecuteScalar()!;
        _contextIds[uri] = id;
        return id;
    }

    /// <summary>Appends the newly inserted plays to the account's packed log (see <see cref="PlayLogFormat"/>).</summary>
    internal void AppendToLog(long accountId, List<(long PlayedAt, int TrackId, int Ms)> records, SqliteTransaction transaction)
    {
        // The last chunk is read afresh in every transaction: another writer (an import, a tool) may have appended.
        var open = new OpenChunk();
        {
            Bind(_lastChunk, transaction, accountId);
            using var reader = _lastChunk.ExecuteReader();
            if (reader.Read() && reader.GetInt32(1) < PlayLogFormat.ChunkCapacity)
            {
                open.Chunk = reader.GetInt64(0);
                open.Count = reader.GetInt32(1);
                ((byte[])reader[2]).CopyTo(open.Buffer, 0);
            }
            else if (reader.HasRows)
            {
                open.Chunk = reader.GetInt64(0) + 1;
            }
        }

        foreach (var (playedAt, trackId, ms) in records)
        {
            if (open.Count == PlayLogFormat.ChunkCapacity)
            {
                SaveChunk(accountId, open, transaction);
                open.Chunk++;
                open.Count = 0;
            }

            PlayLogFormat.Write(open.Buffer.AsSpan(open.Count * PlayLogFormat.RecordSize), playedAt, trackId, ms);
            open.Count++;
        }

        SaveChunk(accountId, open, transaction);
    }

    private void SaveChunk(long accountId, OpenChunk open, SqliteTransaction transaction)
    {
        Bind(_saveChunk, transaction, accountId, open.Chunk, open.Count, open.Buffer[..(open.Count * PlayLogFormat.RecordSize)]);
        _saveChunk.ExecuteNonQuery();
    }

    private sealed class OpenChunk
    {
        public long Chunk { get; set; }

        public int Count { get; set; }

        public byte[] Buffer { get; } = new byte[PlayLogFormat.ChunkCapacity * PlayLogFormat.RecordSize];
    }

    /// <summary><c>PRAGMA foreign_keys</c> of the writer's connection: 1 while the writer's own batches are checked (tests).</summary>
    internal long ForeignKeysEnforced()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_keys;";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>An import stored music plays of the account ending as late as <paramref name="latestEnd"/>.</summary>
    internal void Imported(long accountId, long latestEnd) => _afterImport.Imported(accountId, latestEnd);

    /// <summary>
    /// Rewrites records of the account's packed log in place: each (played_at, track) key gets a new played_at and
    /// encoded ms (a polled play that gained its real ms_played, an imported play that became the polled one).
    /// Chunks are read newest first and the scan stops once every record is found.
    /// </summary>
    internal void RewriteLog(long accountId, Dictionary<(long PlayedAt, int TrackId), (long PlayedAt, int Ms)> changes, SqliteTransaction transaction)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var changed = new List<(long Chunk, byte[] Data)>();
        Bind(_chunks, transaction, accountId);
        using (var reader = _chunks.ExecuteReader())
        {
            while (changes.Count > 0 && reader.Read())
            {
                var count = reader.GetInt32(1);
                var data = (byte[])reader[2];
                var dirty = false;
                for (var r = 0; r < count; r++)
                {
                    var record = data.AsSpan(r * PlayLogFormat.RecordSize, PlayLogFormat.RecordSize);
                    var key = (BinaryPrimitives.ReadInt64LittleEndian(record), BinaryPrimitives.ReadInt32LittleEndian(record[8..]));
                    if (changes.Remove(key, out var change))
                    {
                        PlayLogFormat.Write(record, change.PlayedAt, key.Item2, change.Ms);
                        dirty = true;
                    }
                }

                if (dirty)
                {
                    changed.Add((reader.GetInt64(0), data));
                }
            }
        }

        foreach (var (chunk, data) in changed)
        {
            Bind(_patchChunk, transaction, data, accountId, chunk);
            _patchChunk.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Points the account's packed log records of track <paramref name="from"/> at track <paramref name="to"/> (same time
    /// and ms), and removes those whose played_at is in <paramref name="dropped"/> (plays deleted as duplicates). Every
    /// chunk is read (the plays of one track lie anywhere in the log); only changed chunks are written, a chunk left empty
    /// is deleted. Returns how many records were changed or removed.
    /// </summary>
    internal int RetargetLog(long accountId, int from, int to, IReadOnlySet<long> dropped, SqliteTransaction transaction)
    {
        var changed = new List<(long Chunk, byte[] Data, int Count)>();
        var touched = 0;
        Bind(_chunks, transaction, accountId);
        using (var reader = _chunks.ExecuteReader())
        {
            while (reader.Read())
            {
                var count = reader.GetInt32(1);
                var data = (byte[])reader[2];
                var kept = 0;
                var dirty = false;
                for (var r = 0; r < count; r++)
                {
                    var record = data.AsSpan(r * PlayLogFormat.RecordSize, PlayLogFormat.RecordSize);
                    var playedAt = BinaryPrimitives.ReadInt64LittleEndian(record);
                    var trackId = BinaryPrimitives.ReadInt32LittleEndian(record[8..]);
                    if (trackId == from)
                    {
                        dirty = true;
                        touched++;
                        if (dropped.Contains(playedAt))
                        {
                            continue;
                        }

                        BinaryPrimitives.WriteInt32LittleEndian(record[8..], to);
                    }

                    if (kept != r)
                    {
                        record.CopyTo(data.AsSpan(kept * PlayLogFormat.RecordSize));
                    }

                    kept++;
                }

                if (dirty)
                {
                    changed.Add((reader.GetInt64(0), data, kept));
                }
            }
        }

        foreach (var (chunk, data, count) in changed)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = count == 0
                ? "DELETE FROM play_log_chunks WHERE account_id = $account AND chunk = $chunk;"
                : "UPDATE play_log_chunks SET play_count = $count, data = $data WHERE account_id = $account AND chunk = $chunk;";
            command.Parameters.AddWithValue("$account", accountId);
            command.Parameters.AddWithValue("$chunk", chunk);
            command.Parameters.AddWithValue("$count", count);
            command.Parameters.AddWithValue("$data", data[..(count * PlayLogFormat.RecordSize)]);
            command.ExecuteNonQuery();
        }

        return touched;
    }

    internal void ClearCaches()
    {
        _afterImport.Clear();
        _accountIds.Clear();
        _trackIds.Clear();
        _artistIds.Clear();
        _albumIds.Clear();
        _contextIds.Clear();
        _nameOnlyArtists = null;
    }

    internal SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    internal static void Bind(SqliteCommand command, SqliteTransaction transaction, params object?[] values)
    {
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
