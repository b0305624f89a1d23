using Microsoft.Data.Sqlite;

namespace OrleansSpotify.Host.Backup;

/// <summary>
/// A backup is one SQLite file: a page-by-page copy of the database made with SQLite's online backup API, plus two
/// tables of its own — <c>backup_manifest</c> (the format and when it was made) and <c>backup_key_ring</c> (every
/// file of the Data Protection key ring, as stored: encrypted if a certificate protects the ring). One file, 0600,
/// that the sqlite3 shell can open; without the key ring the sealed tokens in it could never be read again.
/// </summary>
internal static class BackupFormat
{
    public const string Format = "orleans-spotify-backup/1";

    public const string ManifestTable = "backup_manifest";

    public const string KeyRingTable = "backup_key_ring";

    public static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
        }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 10000;");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Count(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table};";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Deletes a temporary file left by a failed command (and its SQLite companions).</summary>
    public static void DeleteQuietly(string path)
    {
        foreach (var suffix in OrleansSpotify.Storage.PrivateFiles.DatabaseSuffixes)
        {
            try
            {
                File.Delete(path + suffix);
            }
            catch (IOException)
            {
            }
        }
    }
}
