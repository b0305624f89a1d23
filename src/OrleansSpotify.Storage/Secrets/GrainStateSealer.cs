using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace OrleansSpotify.Storage;

/// <summary>
/// The in-place upgrade of a deployment from before sealing: every plaintext row of <c>grain_state</c> is re-written
/// sealed, then the old bytes are purged — the WAL checkpointed and truncated, the file rebuilt by <c>VACUUM</c> (and
/// <c>secure_delete</c> zeroes whatever is deleted from then on, see <see cref="SqliteDatabase"/>). Recorded in
/// <c>app_state</c> so that it runs once.
/// </summary>
public sealed partial class GrainStateSealer(SqliteDatabase database, ISecretProtector protector, TimeProvider timeProvider, ILogger<GrainStateSealer> logger)
{
    public const string DoneKey = "grain-state-sealed-v1";

    /// <summary>Seals the plaintext rows and purges their old bytes, unless done before; returns how many rows it sealed.</summary>
    public int SealPlaintextStates()
    {
        int sealedRows;
        using (var connection = database.Open())
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (IsDone(connection, transaction))
            {
                return 0;
            }

            sealedRows = SealRows(connection, transaction);
            using (var done = connection.CreateCommand())
            {
                done.Transaction = transaction;
                done.CommandText = "INSERT INTO app_state (key, value, updated_at) VALUES ($key, $value, $now) ON CONFLICT (key) DO NOTHING;";
                done.Parameters.AddWithValue("$key", DoneKey);
                done.Parameters.AddWithValue("$value", sealedRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
                done.Parameters.AddWithValue("$now", UnixTime.ToMs(timeProvider.GetUtcNow()));
                done.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        // Outside the transaction: the old pages may still be in the WAL and in the main file's free pages.
        using (var connection = database.Open())
        {
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
            Execute(connection, "VACUUM;");
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        if (sealedRows > 0)
        {
            LogSealed(logger, sealedRows, database.DatabasePath);
        }
        else
        {
            LogNothingToSeal(logger, database.DatabasePath);
        }

        return sealedRows;
    }

    private int SealRows(SqliteConnection connection, SqliteTransaction transaction)
    {
        var plaintext = new List<(string State, string Grain, byte[] Payload)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT state_name, grain_id, payload FROM grain_state;";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var payload = (byte[])reader[2];
                if (!SealedPayload.IsSealed(payload))
                {
                    plaintext.Add((reader.GetString(0), reader.GetString(1), payload));
                }
            }
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE grain_state SET payload = $payload WHERE state_name = $state AND grain_id = $grain;";
        var state = update.Parameters.Add("$state", SqliteType.Text);
        var grain = update.Parameters.Add("$grain", SqliteType.Text);
        var sealedPayload = update.Parameters.Add("$payload", SqliteType.Blob);
        foreach (var row in plaintext)
        {
            state.Value = row.State;
            grain.Value = row.Grain;
            sealedPayload.Value = SealedPayload.Seal(protector, row.Payload);
            update.ExecuteNonQuery();
        }

        return plaintext.Count;
    }

    private static bool IsDone(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM app_state WHERE key = $key;";
        command.Parameters.AddWithValue("$key", DoneKey);
        return (long)command.ExecuteScalar()! > 0;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain state sealed at rest: {Count} plaintext rows re-written sealed and their old bytes purged from {Path}")]
    private static partial void LogSealed(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Grain state is sealed at rest: {Path} held no plaintext state")]
    private static partial void LogNothingToSeal(ILogger logger, string path);
}
