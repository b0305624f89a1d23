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
    /// <summary>SQLite's largest <c>max_page_count</c> (its default): no cap.</summary>
    public const long NoPageLimit = 4294967294;

    private readonly StorageOptions _options = options.Value;
    private int _initialized;
    private long _maxPageCount = options.Value.MaxPageCount ?? NoPageLimit;

    /// <summary>
    /// The database's size cap in pages (<c>PRAGMA max_page_count</c> on every connection; null: none), from
    /// <see cref="StorageOptions.MaxPageCount"/>. It may be changed while the service runs (the tests fill and free
    /// the "disk" this way); a cap below the current size holds the database at its current size.
    /// </summary>
    public long? MaxPageCount
    {
        get
        {
            var pages = Interlocked.Read(ref _maxPageCount);
            return pages == NoPageLimit ? null : pages;
        }

        set => Interlocked.Exchange(ref _maxPageCount, value is { } pages ? Math.Clamp(pages, 1, NoPageLimit) : NoPageLimit);
    }

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

    /// <summary>
    /// A real write for <c>/readyz</c>: commits a heartbeat row (<c>app_state</c> 'readiness-heartbeat'), then measures
    /// the room left for the database to grow (free space on the volume, or under <see cref="MaxPageCount"/>).
    /// Ready when the commit succeeded and at least <paramref name="minFreeBytes"/> are left. Never throws.
    /// </summary>
    public DatabaseWriteCheck ProbeWrite(DateTimeOffset now, long minFreeBytes)
    {
        try
        {
            using var connection = Open();
            using (var timeout = connection.CreateCommand())
            {
                // A probe should not hang behind a long writer for the full busy timeout.
                timeout.CommandText = "PRAGMA busy_timeout = 2000;";
                timeout.ExecuteNonQuery();
            }

            using (var transaction = connection.BeginTransaction(deferred: false))
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO app_state (key, value, updated_at) VALUES ('readiness-heartbeat', $value, $now)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
                    """;
                command.Parameters.AddWithValue("$value", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
                command.ExecuteNonQuery();
                transaction.Commit();
            }

            var pageSize = Pragma(connection, "page_size");
            var underCap = (Pragma(connection, "max_page_count") - Pragma(connection, "page_count") + Pragma(connection, "freelist_count")) * pageSize;
            var onVolume = VolumeFreeBytes();
            var room = onVolume is { } volume ? Math.Min(volume, underCap) : underCap;
            var where = onVolume is { } v && v <= underCap ? "on the data volume" : $"under the database size cap of {Pragma(connection, "max_page_count")} pages";
            if (room < minFreeBytes)
            {
                return new DatabaseWriteCheck(false, $"The database is (nearly) full: {room} bytes left {where}; at least {minFreeBytes} are needed.", now, room);
            }

            return new DatabaseWriteCheck(true, $"{_options.DatabasePath} accepts writes; {room} bytes left {where}.", now, room);
        }
        catch (SqliteException exception)
        {
            return new DatabaseWriteCheck(false, $"{_options.DatabasePath} does not accept writes: {Describe(exception)}", now, null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new DatabaseWriteCheck(false, $"{_options.DatabasePath} cannot be opened for writing: {exception.Message}", now, null);
        }
    }

    /// <summary>
    /// True for the errors of a database that cannot take writes for now (full disk or size cap, read-only file or
    /// directory, I/O error, locked or unopenable): a background job logs them and tries again later.
    /// </summary>
    public static bool IsWriteOutage(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteFull or SqliteReadOnly or SqliteIoErr or SqliteCantOpen or SqliteBusy or SqliteLocked };

    /// <summary>"SQLITE_FULL (13): database or disk is full" and the like.</summary>
    public static string Describe(SqliteException exception) => exception.SqliteErrorCode switch
    {
        SqliteFull => "SQLITE_FULL",
        SqliteReadOnly => "SQLITE_READONLY",
        SqliteIoErr => "SQLITE_IOERR",
        SqliteCantOpen => "SQLITE_CANTOPEN",
        SqliteBusy => "SQLITE_BUSY",
        SqliteLocked => "SQLITE_LOCKED",
        _ => "SQLite error",
    } + $" ({exception.SqliteExtendedErrorCode}): " + exception.Message.Replace("SQLite Error ", "", StringComparison.Ordinal);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    private long? VolumeFreeBytes()
    {
        try
        {
            return new DriveInfo(Path.GetDirectoryName(_options.DatabasePath)!).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private SqliteConnection OpenCore()
    {
        var connection = new SqliteConnection(_options.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON; {SizeLimitPragma()}";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Re-applies <see cref="MaxPageCount"/> to a connection kept open (the play writer's) before it writes.</summary>
    public void ApplySizeLimit(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = SizeLimitPragma();
        command.ExecuteNonQuery();
    }

    private string SizeLimitPragma() =>
        $"PRAGMA max_page_count = {(MaxPageCount ?? NoPageLimit).ToString(System.Globalization.CultureInfo.InvariantCulture)};";

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

        if (!HasVersion(connection, transaction, 6))
        {
            // Imports: episodes and audiobook chapters are tracks of their own kind (kept out of the packed log), an
            // import may name an album without an id, and a polled play remembers the imported row merged into it.
            if (!HasColumn(connection, transaction, "tracks", "kind"))
            {
                Execute(connection, transaction, "ALTER TABLE tracks ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;");
            }

            if (!HasColumn(connection, transaction, "tracks", "collection_name"))
            {
                Execute(connection, transaction, "ALTER TABLE tracks ADD COLUMN collection_name TEXT;");
            }

            foreach (var (column, definition) in new[]
            {
                ("import_ended_at", "INTEGER"),
                ("details", "INTEGER"),
                ("offline_at", "INTEGER"),
            })
            {
                if (!HasColumn(connection, transaction, "plays", column))
                {
                    Execute(connection, transaction, $"ALTER TABLE plays ADD COLUMN {column} {definition};");
                }
            }

            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (6, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
        }

        if (!HasVersion(connection, transaction, 7))
        {
            // import_jobs is a new table: schema.sql's CREATE TABLE IF NOT EXISTS has made it; nothing to move.
            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (7, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
        }

        if (!HasVersion(connection, transaction, 8))
        {
            // Metadata lookups: track_lookups is a new table (schema.sql's CREATE TABLE IF NOT EXISTS has made it);
            // nothing to move. Independent of version 7 (import jobs), whichever is applied first.
            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (8, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
        }

        if (!HasVersion(connection, transaction, 9))
        {
            // Spotify call counts: spotify_calls and spotify_call_minutes are new tables (schema.sql's CREATE TABLE IF NOT
            // EXISTS has made them); nothing to move. Independent of the other versions.
            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (9, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
        }

        if (!HasVersion(connection, transaction, 10))
        {
            // Live capture: play_sources gains 'live' (schema.sql's INSERT OR IGNORE has added it); nothing to move.
            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (10, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
        }

        if (!HasVersion(connection, transaction, 11))
        {
            // Gap detection: history_gaps is a new table (schema.sql's CREATE TABLE IF NOT EXISTS has made it); nothing
            // to move. Independent of versions 9 and 10, whichever is applied first.
            Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES (11, CAST(strftime('%s', 'now') AS INTEGER) * 1000);");
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
