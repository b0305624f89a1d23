using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Import;

namespace OrleansSpotify.Storage.Metadata;

/// <summary>What storing a looked-up track changed.</summary>
/// <param name="Applied">False when the track is gone (folded away before the answer came): nothing was written.</param>
/// <param name="TrackId">The track that now holds the metadata (the real one a name-only track was folded into).</param>
/// <param name="Folded">A name-only track was folded into an already stored real track.</param>
/// <param name="DroppedPlays">Plays of the folded track that were already stored for the real one (same account and time).</param>
/// <param name="Accounts">The accounts with plays of the track: their stats change.</param>
/// <param name="MergedPlays">Imported plays of the folded track that were a polled play of the real one (the import's window rule): merged into it.</param>
public sealed record TrackMetadataResult(bool Applied, long TrackId, bool Folded, int DroppedPlays, IReadOnlyList<string> Accounts, int MergedPlays = 0);

/// <summary>
/// Stores what Spotify said of a track, through the single writer's connection (<see cref="PlayWriter"/>), in one
/// transaction: the duration, album (with its art), ISRC and artists (with their ids) of a track an import catalogued
/// without them, or the real track a name-only one (<c>spotify:imported:…</c>) turned out to be. A name-only track
/// becomes the real one in place when that is not stored yet; otherwise it is folded into it: its plays are re-pointed,
/// the packed play logs rewritten, and the name-only row deleted. An imported play that is a polled play of the real
/// track by the import's own rule (ending within ±120 s for account data, ±60 s for extended history; nearest first,
/// one to one; see <see cref="PlayImporter"/>) is merged into it — the polled play gains the real ms_played — and one
/// the real track already has at the same time is dropped; either way the play is counted once. A name-only artist of the track takes the Spotify id of the artist of the same name
/// (<see cref="NameKey"/>), or is merged into the artist already stored with that id. An album an import named (no id)
/// that no track uses any more is deleted. Not thread-safe: the storage grain runs it between its writes.
/// </summary>
public sealed class TrackMetadataWriter(PlayWriter writer)
{
    public TrackMetadataResult Apply(long trackId, TrackInfo real, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentException.ThrowIfNullOrEmpty(real.SpotifyId, nameof(real));

        // Its caches (track by URI, artists by id and name) may name rows this changes.
        writer.ClearCaches();
        writer.Database.ApplySizeLimit(writer.Connection);
        using var transaction = writer.Connection.BeginTransaction(deferred: false);
        try
        {
            var result = ApplyCore(trackId, real, now, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            writer.ClearCaches();
        }
    }

    private TrackMetadataResult ApplyCore(long trackId, TrackInfo real, DateTimeOffset now, SqliteTransaction transaction)
    {
        if (Scalar<string>(transaction, "SELECT uri FROM tracks WHERE id = $id;", ("$id", trackId)) is not { } uri)
        {
            return new TrackMetadataResult(false, trackId, false, 0, []);
        }

        var nameOnlyArtists = Rows(transaction, """
            SELECT ar.id, ar.name FROM track_artists ta JOIN artists ar ON ar.id = ta.artist_id
            WHERE ta.track_id = $id AND ar.spotify_id IS NULL;
            """, r => (Id: r.GetInt64(0), Name: r.GetString(1)), ("$id", trackId));
        var oldAlbum = Scalar<long?>(transaction, "SELECT al.id FROM tracks t JOIN albums al ON al.id = t.album_id WHERE t.id = $id AND al.spotify_id IS NULL;", ("$id", trackId));

        var survivor = trackId;
        var (dropped, merged) = (0, 0);
        var existing = Scalar<long?>(transaction, "SELECT id FROM tracks WHERE uri = $uri;", ("$uri", real.Uri));
        if (existing is { } realId && realId != trackId)
        {
            (dropped, merged) = Fold(trackId, realId, transaction);
            survivor = realId;
        }
        else if (uri != real.Uri)
        {
            Execute(transaction, "UPDATE tracks SET uri = $uri, spotify_id = $spotify_id WHERE id = $id;", ("$uri", real.Uri), ("$spotify_id", real.SpotifyId), ("$id", trackId));
        }

        // The writer's upsert by URI: name, duration, ISRC, album (with its art) and artists by position.
        writer.TrackId(real, transaction);
        var artists = real.Artists.IsDefault ? 0 : real.Artists.Length;
        if (artists > 0)
        {
            Execute(transaction, "DELETE FROM track_artists WHERE track_id = $id AND position >= $count;", ("$id", survivor), ("$count", artists));
        }

        Execute(transaction, """
            UPDATE tracks SET explicit = $explicit, collection_name = CASE WHEN album_id IS NULL THEN collection_name END WHERE id = $id;
            """, ("$explicit", real.Explicit ? 1 : 0), ("$id", survivor));
        MergeArtists(nameOnlyArtists, real, transaction);
        if (oldAlbum is { } album)
        {
            Execute(transaction, "DELETE FROM albums WHERE id = $id AND spotify_id IS NULL AND NOT EXISTS (SELECT 1 FROM tracks WHERE album_id = $id);", ("$id", album));
        }

        Execute(transaction, """
            INSERT INTO track_lookups (track_id, looked_up_at, attempts, next_attempt_at) VALUES ($id, $now, 0, 0)
            ON CONFLICT (track_id) DO UPDATE SET looked_up_at = excluded.looked_up_at, attempts = 0, next_attempt_at = 0;
            """, ("$id", survivor), ("$now", UnixTime.ToMs(now)));
        var accounts = Rows(transaction, """
            SELECT a.account_key FROM accounts a
            WHERE EXISTS (SELECT 1 FROM plays p WHERE p.account_id = a.id AND p.track_id = $id) ORDER BY a.account_key;
            """, r => r.GetString(0), ("$id", survivor));
        return new TrackMetadataResult(true, survivor, survivor != trackId, dropped, accounts, merged);
    }

    /// <summary>
    /// Moves the name-only track's plays (and their log records) to the real track and deletes it; returns the plays
    /// dropped as duplicates and those merged into a polled play.
    /// </summary>
    private (int Dropped, int Merged) Fold(long nameOnly, long realId, SqliteTransaction transaction)
    {
        var (dropped, merged) = (0, 0);
        var accounts = Rows(transaction, "SELECT DISTINCT account_id FROM plays WHERE track_id = $id;", r => r.GetInt64(0), ("$id", nameOnly));
        foreach (var account in accounts)
        {
            var plays = Rows(transaction, "SELECT played_at, ms_played, source_id, details, offline_at FROM plays WHERE account_id = $account AND track_id = $id ORDER BY played_at;",
                r => (At: r.GetInt64(0), Ms: r.IsDBNull(1) ? (long?)null : r.GetInt64(1), Source: r.GetInt64(2), Details: r.GetValue(3), OfflineAt: r.GetValue(4)),
                ("$account", account), ("$id", nameOnly));
            var polled = Rows(transaction, "SELECT played_at FROM plays WHERE account_id = $account AND track_id = $id AND source_id = 1 AND import_ended_at IS NULL;",
                r => r.GetInt64(0), ("$account", account), ("$id", realId)).ToHashSet();
            var gone = new HashSet<long>();
            var patches = new Dictionary<(long PlayedAt, int TrackId), (long PlayedAt, int Ms)>();
            foreach (var play in plays)
            {
                var key = new (string, object?)[] { ("$account", account), ("$played_at", play.At), ("$from", nameOnly), ("$to", realId) };
                var window = (long)(play.Source == (long)PlaySource.ImportAccountData ? PlayImporter.AccountDataWindow : PlayImporter.ExtendedWindow).TotalMilliseconds;
                var nearest = play.Source != (long)PlaySource.RecentlyPlayed && play.Ms is { } ms
                    ? polled.Where(p => Math.Abs(p - play.At) <= window).OrderBy(p => Math.Abs(p - play.At)).ThenBy(p => p).Cast<long?>().FirstOrDefault()
                    : null;
                if (nearest is { } polledAt)
                {
                    // The import's rule: the polled play keeps its time, source and context and gains the real ms_played.
                    polled.Remove(polledAt);
                    Execute(transaction, """
                        UPDATE plays SET ms_played = $ms, import_ended_at = $ended, details = $details, offline_at = $offline_at
                        WHERE account_id = $account AND played_at = $polled AND track_id = $to;
                        """, ("$ms", play.Ms), ("$ended", play.At), ("$details", play.Details), ("$offline_at", play.OfflineAt), ("$account", account), ("$polled", polledAt), ("$to", realId));
                    Execute(transaction, "DELETE FROM plays WHERE account_id = $account AND played_at = $played_at AND track_id = $from;", key);
                    patches[(polledAt, (int)realId)] = (polledAt, PlayLogFormat.EncodeMs(play.Ms, 0));
                    gone.Add(play.At);
                    merged++;
                }
                else if (Scalar<long?>(transaction, "SELECT 1 FROM plays WHERE account_id = $account AND played_at = $played_at AND track_id = $to;", key) is not null)
                {
                    Execute(transaction, "DELETE FROM plays WHERE account_id = $account AND played_at = $played_at AND track_id = $from;", key);
                    gone.Add(play.At);
                    dropped++;
                }
                else
                {
                    Execute(transaction, "UPDATE plays SET track_id = $to WHERE account_id = $account AND played_at = $played_at AND track_id = $from;", key);
                }
            }

            writer.RetargetLog(account, (int)nameOnly, (int)realId, gone, transaction);
            writer.RewriteLog(account, patches, transaction);
        }

        Execute(transaction, "DELETE FROM track_artists WHERE track_id = $id;", ("$id", nameOnly));
        Execute(transaction, "DELETE FROM track_lookups WHERE track_id = $id;", ("$id", nameOnly));
        Execute(transaction, "DELETE FROM tracks WHERE id = $id;", ("$id", nameOnly));
        return (dropped, merged);
    }

    /// <summary>
    /// The track's artists that had no Spotify id: one whose name matches a real artist of the track became that artist
    /// (the writer adopted it when no artist had the id yet) or is merged into it now; one left without tracks is deleted.
    /// </summary>
    private void MergeArtists(List<(long Id, string Name)> nameOnly, TrackInfo real, SqliteTransaction transaction)
    {
        foreach (var (id, name) in nameOnly)
        {
            if (Scalar<long?>(transaction, "SELECT 1 FROM artists WHERE id = $id AND spotify_id IS NULL;", ("$id", id)) is null)
            {
                continue;
            }

            var key = NameKey.Normalise(name);
            var match = (real.Artists.IsDefault ? [] : real.Artists).FirstOrDefault(a => a.SpotifyId is { Length: > 0 } && NameKey.Normalise(a.Name) == key);
            if (match is not null && Scalar<long?>(transaction, "SELECT id FROM artists WHERE spotify_id = $spotify_id;", ("$spotify_id", match.SpotifyId)) is { } target && target != id)
            {
                Execute(transaction, "UPDATE track_artists SET artist_id = $to WHERE artist_id = $from;", ("$to", target), ("$from", id));
            }

            if (Scalar<long?>(transaction, "SELECT 1 FROM track_artists WHERE artist_id = $id LIMIT 1;", ("$id", id)) is null)
            {
                Execute(transaction, "DELETE FROM artist_genres WHERE artist_id = $id;", ("$id", id));
                Execute(transaction, "DELETE FROM artists WHERE id = $id;", ("$id", id));
            }
        }
    }

    private SqliteCommand Command(SqliteTransaction transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = writer.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private T? Scalar<T>(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        var value = command.ExecuteScalar();
        if (value is null or DBNull)
        {
            return default;
        }

        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
    }

    private List<TRow> Rows<TRow>(SqliteTransaction transaction, string sql, Func<SqliteDataReader, TRow> read, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<TRow>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
