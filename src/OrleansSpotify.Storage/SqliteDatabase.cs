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

        Directory.CreateDirectory(Path.GetDirectoryName(_options.DatabasePath)!);
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
            transaction.Commit();
        }

        LogInitialized(logger, _options.DatabasePath, SchemaVersion(connection));
        Volatile.Write(ref _initialized, 1);
    }

    /// <summary>An open connection with this database's pragmas; the caller disposes it.</summary>
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
        command.CommandText = $"PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
        return connection;
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
