using Microsoft.Data.Sqlite;

namespace OrleansSpotify.Storage.Import;

/// <summary>
/// The identity rule the other way round: a polled play of a track that an import stored first (an imported row of
/// the same track ending within ±60 s, or ±120 s for account data, that no polled play has claimed) is that play.
/// The imported row becomes the polled play: the polled time, source and context, the imported ms_played, details
/// and end (<c>import_ended_at</c>, so a re-import still finds it). Only polled plays no later than 2 minutes after the
/// account's latest imported play are looked at, so steady-state polling pays nothing.
/// </summary>
internal sealed class PolledAfterImport : IDisposable
{
    private readonly PlayWriter _writer;
    private readonly Dictionary<long, long> _latestImported = [];
    private readonly SqliteCommand _latest;
    private readonly SqliteCommand _candidates;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _delete;

    public PolledAfterImport(PlayWriter writer)
    {
        _writer = writer;
        _latest = writer.Prepare("SELECT played_at FROM plays WHERE account_id = $account AND source_id IN (2, 3) ORDER BY played_at DESC LIMIT 1;", "$account");
        _candidates = writer.Prepare("""
            SELECT played_at, ms_played, source_id, details, offline_at FROM plays
            WHERE account_id = $account AND played_at >= $from AND played_at <= $to AND track_id = $track AND source_id IN (2, 3);
            """, "$account", "$from", "$to", "$track");
        _insert = writer.Prepare("""
            INSERT INTO plays (account_id, played_at, track_id, ms_played, context_id, source_id, import_ended_at, details, offline_at)
            VALUES ($account, $played_at, $track, $ms, $context, 1, $ended, $details, $offline_at)
            ON CONFLICT (account_id, played_at, track_id) DO NOTHING;
            """, "$account", "$played_at", "$track", "$ms", "$context", "$ended", "$details", "$offline_at");
        _delete = writer.Prepare("DELETE FROM plays WHERE account_id = $account AND played_at = $played_at AND track_id = $track;", "$account", "$played_at", "$track");
    }

    /// <summary>
    /// Null when no imported row is this play (store it as usual). Otherwise the imported row's end and encoded ms,
    /// and whether the polled play was new (false: it was stored before; nothing changed).
    /// </summary>
    public (bool Inserted, long ImportedAt, int EncodedMs)? TakeOver(long accountId, long playedAt, long trackId, long? contextId, SqliteTransaction transaction)
    {
        if (playedAt > LatestImported(accountId, transaction) + (long)PlayImporter.AccountDataWindow.TotalMilliseconds)
        {
            return null;
        }

        var window = (long)PlayImporter.AccountDataWindow.TotalMilliseconds;
        PlayWriter.Bind(_candidates, transaction, accountId, playedAt - window, playedAt + window, trackId);
        (long At, long? Ms, object Details, object OfflineAt)? nearest = null;
        using (var reader = _candidates.ExecuteReader())
        {
            while (reader.Read())
            {
                var at = reader.GetInt64(0);
                var allowed = reader.GetInt64(2) == 2 ? PlayImporter.ExtendedWindow : PlayImporter.AccountDataWindow;
                if (Math.Abs(at - playedAt) <= (long)allowed.TotalMilliseconds && (nearest is not { } best || Math.Abs(at - playedAt) < Math.Abs(best.At - playedAt)))
                {
                    nearest = (at, reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetValue(3), reader.GetValue(4));
                }
            }
        }

        if (nearest is not { } found)
        {
            return null;
        }

        PlayWriter.Bind(_insert, transaction, accountId, playedAt, trackId, found.Ms, contextId, found.At, found.Details, found.OfflineAt);
        if (_insert.ExecuteNonQuery() == 0)
        {
            return (false, found.At, 0);
        }

        PlayWriter.Bind(_delete, transaction, accountId, found.At, trackId);
        _delete.ExecuteNonQuery();
        return (true, found.At, PlayLogFormat.EncodeMs(found.Ms, 0));
    }

    public void Imported(long accountId, long latestEnd)
    {
        if (_latestImported.TryGetValue(accountId, out var known) && latestEnd > known)
        {
            _latestImported[accountId] = latestEnd;
        }
    }

    /// <summary>After a rollback: read everything afresh.</summary>
    public void Clear()
    {
        _latestImported.Clear();
    }

    public void Dispose()
    {
        foreach (var command in new[] { _latest, _candidates, _insert, _delete })
        {
            command.Dispose();
        }
    }

    private long LatestImported(long accountId, SqliteTransaction transaction)
    {
        if (!_latestImported.TryGetValue(accountId, out var latest))
        {
            PlayWriter.Bind(_latest, transaction, accountId);
            latest = _latest.ExecuteScalar() is long at ? at : long.MinValue / 2;
            _latestImported[accountId] = latest;
        }

        return latest;
    }
}
