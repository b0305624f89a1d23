using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Benchmarks.Import;

/// <summary>
/// The floor an import is measured against: the same rows inserted with one prepared INSERT into a table of the shape
/// of <c>plays</c> (account, end, track, ms_played, context, source; WITHOUT ROWID on the same key), in transactions of
/// one transaction per batch, on the database's own pragmas. Track ids come from a dictionary by URI (or artist + name), so
/// nothing but the bare insert is left: no catalogue, no matching, no packed log, no details.
/// </summary>
public static class BareInsertBaseline
{
    /// <summary>
    /// Inserts the batches, one transaction each, into a fresh table <c>bare_plays</c> of <paramref name="connection"/>'s
    /// database and returns the time spent inserting (producing the batches is not timed).
    /// </summary>
    public static TimeSpan Run(SqliteConnection connection, IEnumerable<ImportedPlay[]> batches)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(batches);
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                DROP TABLE IF EXISTS bare_plays;
                CREATE TABLE bare_plays (
                    account_id  INTEGER NOT NULL,
                    played_at   INTEGER NOT NULL,
                    track_id    INTEGER NOT NULL,
                    ms_played   INTEGER,
                    context_id  INTEGER,
                    source_id   INTEGER NOT NULL,
                    import_ended_at INTEGER,
                    PRIMARY KEY (account_id, played_at, track_id)
                ) WITHOUT ROWID;
                """;
            create.ExecuteNonQuery();
        }

        var trackIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var stopwatch = new Stopwatch();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO bare_plays (account_id, played_at, track_id, ms_played, context_id, source_id) VALUES (1, $at, $track, $ms, NULL, 2) ON CONFLICT DO NOTHING;";
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var track = insert.Parameters.Add("$track", SqliteType.Integer);
        var ms = insert.Parameters.Add("$ms", SqliteType.Integer);
        foreach (var batch in batches)
        {
            stopwatch.Start();
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                insert.Transaction = transaction;
                foreach (var row in batch)
                {
                    var key = row.Uri ?? row.ArtistName + "\u001f" + row.Name;
                    if (!trackIds.TryGetValue(key, out var id))
                    {
                        trackIds[key] = id = trackIds.Count + 1;
                    }

                    at.Value = row.EndedAt.ToUnixTimeMilliseconds();
                    track.Value = id;
                    ms.Value = row.MsPlayed;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            stopwatch.Stop();
        }

        return stopwatch.Elapsed;
    }
}
