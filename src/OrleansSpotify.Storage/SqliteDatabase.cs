using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSpotify.Storage;

/// <summary>
/// Opens connections to the one SQLite file (WAL, busy timeout, foreign keys) and applies schema.sql.
/// Readers open pooled connections per query; the play writer keeps its own (see <see cref="PlayWriter"/>).
/// </summary>
public sealed partial class SqliteDatabase(IOptions<StorageOptions> options, ILogger<SqliteDatabase> logger)
{
    private readonly StorageOptions _options = options.Value;
    private int _initialized;

    public string DatabasePath => _options.DatabasePath;

    /// <summary>Creates the data directory and the database, switches to WAL and applies schema.sql. Idempotent.</summary>
    public void Initialize()
    {
        if (Volatile.Read(ref _initialized) == 1)
        {
            return;
        }

        // Owner-only modes whatever the umask: the directory 0700, the database created 0600 before SQLite opens it (SQLite
        // gives -wal and -shm the database's mode), and an older deployment's files tightened.
        PrivateFiles.EnsureDirectory(Path.GetDirectoryName(_options.DatabasePath)!);
        PrivateFiles.CreateIfMissing(_options.DatabasePath);
        PrivateFiles.TightenDatabase(_options.DatabasePath);
        using var connection = OpenCore();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteScalar();
        }

        using (var transaction = connection.BeginTransaction())
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = ReadSchema();
            command.ExecuteNonQuery();
            Migrate(connection, transaction);
            transaction.Commit();
        }

        PrivateFiles.TightenDatabase(_options.DatabasePath);
        LogInitialized(logger, _options.DatabasePath, SchemaVersion(connection));
        Volatile.Write(ref _initialized, 1);
    }

    /// <summary>
    /// An open connection with this database's pragmas; the caller disposes it. <c>secure_delete</c> zeroes deleted
    /// content (an old grain state's bytes) instead of leaving it in free pages.
    /// </summary>
    public SqliteConnection Open()
    {
        Initialize();
        return OpenCore();
    }

    /// <summary>True when a write transaction can be started and committed (for <c>/readyz</c>).</summary>
    public bool IsWritable()
    {
        try
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO app_state (key, value, updated_at) VALUES ('readiness-probe', '1', 0) ON CONFLICT (key) DO NOTHING;";
            command.ExecuteNonQuery();
            transaction.Rollback();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private SqliteConnection OpenCore()
    {
        var connection = new SqliteConnection(_options.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Data migrations that schema.sql's idempotent statements cannot express, each recorded in schema_version.</summary>
    private static void Migrate(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (!HasVersion(connection, transaction, 2))
        {
            PackPlayLogs(connection, transaction);
            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (2, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
        }

        if (!HasVersion(connection, transaction, 3))
        {
            if (!HasColumn(connection, transaction, "accounts", "share_stats"))
            {
                Execute(connection, transaction, "ALTER TABLE accounts ADD COLUMN share_stats INTEGER NOT NULL DEFAULT 1;");
            }

            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (3, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
        }

        if (!HasVersion(connection, transaction, 4))
        {
            if (!HasColumn(connection, transaction, "accounts", "time_zone"))
            {
                Execute(connection, transaction, "ALTER TABLE accounts ADD COLUMN time_zone TEXT;");
            }

            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (4, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
        }

        if (!HasVersion(connection, transaction, 5))
        {
            // share_tokens is a new table: schema.sql's CREATE TABLE IF NOT EXISTS has made it; nothing to move.
            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (5, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
        }
    }

    private static bool HasColumn(SqliteConnection connection, SqliteTransaction transaction, string table, string column)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = $column;";
        command.Parameters.AddWithValue("$column", column);
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>Version 2: packs every stored play into play_log_chunks (see PlayLogFormat).</summary>
    private static void PackPlayLogs(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, transaction, "DELETE FROM play_log_chunks;");
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = """
            SELECT p.account_id, p.played_at, p.track_id, p.ms_played, t.duration_ms
            FROM plays p JOIN tracks t ON t.id = p.track_id
            ORDER BY p.account_id, p.played_at;
            """;
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO play_log_chunks (account_id, chunk, play_count, data) VALUES ($account, $chunk, $count, $data);";
        var account = insert.Parameters.Add("$account", SqliteType.Integer);
        var chunk = insert.Parameters.Add("$chunk", SqliteType.Integer);
        var count = insert.Parameters.Add("$count", SqliteType.Integer);
        var data = insert.Parameters.Add("$data", SqliteType.Blob);

        var buffer = new byte[PlayLogFormat.ChunkCapacity * PlayLogFormat.RecordSize];
        long currentAccount = -1;
        long currentChunk = 0;
        var filled = 0;
        void Flush()
        {
            if (filled == 0)
            {
                return;
            }

            account.Value = currentAccount;
            chunk.Value = currentChunk;
            count.Value = filled;
            data.Value = buffer[..(filled * PlayLogFormat.RecordSize)];
            insert.ExecuteNonQuery();
            currentChunk++;
            filled = 0;
        }

        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var accountId = reader.GetInt64(0);
            if (accountId != currentAccount)
            {
                Flush();
                currentAccount = accountId;
                currentChunk = 0;
            }

            long? msPlayed = reader.IsDBNull(3) ? null : reader.GetInt64(3);
            PlayLogFormat.Write(buffer.AsSpan(filled * PlayLogFormat.RecordSize), reader.GetInt64(1), (int)reader.GetInt64(2), PlayLogFormat.EncodeMs(msPlayed, reader.GetInt64(4)));
            if (++filled == PlayLogFormat.ChunkCapacity)
            {
                Flush();
            }
        }

        Flush();
    }

    private static bool HasVersion(SqliteConnection connection, SqliteTransaction transaction, int version)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM schema_version WHERE version = $version;";
        command.Parameters.AddWithValue("$version", version);
        return (long)command.ExecuteScalar()! > 0;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long SchemaVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(version) FROM schema_version;";
        return (long)command.ExecuteScalar()!;
    }

    private static string ReadSchema()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("OrleansSpotify.Storage.schema.sql")
            ?? throw new InvalidOperationException("schema.sql is not embedded in OrleansSpotify.Storage.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite database {Path} ready at schema version {Version}")]
    private static partial void LogInitialized(ILogger logger, string path, long version);
}
