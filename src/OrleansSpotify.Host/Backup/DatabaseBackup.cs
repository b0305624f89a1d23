using Microsoft.Data.Sqlite;
using OrleansSpotify.Host.Secrets;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Backup;

/// <summary>
/// <c>backup --to FILE</c>: an online backup, safe while the service runs and writes (SQLite's backup API copies a
/// consistent snapshot under one read transaction; WAL readers do not block the writer). Written to a temporary file
/// created 0600 next to FILE and renamed into place, so FILE is never half-written.
/// </summary>
internal static class DatabaseBackup
{
    public static string Create(StorageOptions storage, string file, bool force)
    {
        var database = storage.DatabasePath;
        if (!File.Exists(database))
        {
            throw new CommandException($"there is no database at {database}: nothing to back up (is Storage__DataDirectory set as for the service?).");
        }

        var target = Path.GetFullPath(file);
        var folder = Path.GetDirectoryName(target)!;
        if (Directory.Exists(target))
        {
            throw new CommandException($"{target} is a directory: name the backup file to write.");
        }

        if (!Directory.Exists(folder))
        {
            throw new CommandException($"the folder {folder} does not exist.");
        }

        if (File.Exists(target) && !force)
        {
            throw new CommandException($"{target} already exists (add --force to replace it).");
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        try
        {
            PrivateFiles.CreateNew(temporary).Dispose();
            long accounts;
            int keys;
            using (var source = BackupFormat.Open(database, SqliteOpenMode.ReadWrite))
            using (var destination = BackupFormat.Open(temporary, SqliteOpenMode.ReadWrite))
            {
                source.BackupDatabase(destination);
                BackupFormat.Execute(destination, "PRAGMA journal_mode = DELETE;");
                keys = AddKeyRing(destination, Path.Combine(storage.DataDirectory, SecretsExtensions.KeysFolder));
                accounts = BackupFormat.Count(destination, "accounts");
            }

            File.Move(temporary, target, overwrite: force);
            PrivateFiles.Tighten(target);
            return $"Backed up {database} ({accounts} accounts, {keys} key ring files) to {target}.";
        }
        catch (SqliteException exception)
        {
            throw new CommandException($"the database {database} could not be backed up: {exception.Message}", exception);
        }
        catch (IOException exception)
        {
            throw new CommandException($"{target} could not be written: {exception.Message}", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new CommandException($"{target} could not be written: {exception.Message}", exception);
        }
        finally
        {
            BackupFormat.DeleteQuietly(temporary);
        }
    }

    private static int AddKeyRing(SqliteConnection backup, string keysDirectory)
    {
        using var transaction = backup.BeginTransaction();
        using (var create = backup.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = $"""
                CREATE TABLE {BackupFormat.ManifestTable} (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE {BackupFormat.KeyRingTable} (name TEXT PRIMARY KEY, xml TEXT NOT NULL);
                INSERT INTO {BackupFormat.ManifestTable} (key, value) VALUES ('format', '{BackupFormat.Format}');
                INSERT INTO {BackupFormat.ManifestTable} (key, value) VALUES ('created_at', $now);
                """;
            create.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            create.ExecuteNonQuery();
        }

        var count = 0;
        if (Directory.Exists(keysDirectory))
        {
            using var insert = backup.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO {BackupFormat.KeyRingTable} (name, xml) VALUES ($name, $xml);";
            var name = insert.Parameters.Add("$name", SqliteType.Text);
            var xml = insert.Parameters.Add("$xml", SqliteType.Text);
            foreach (var file in Directory.EnumerateFiles(keysDirectory, "*.xml").Order(StringComparer.Ordinal))
            {
                name.Value = Path.GetFileName(file);
                xml.Value = File.ReadAllText(file);
                insert.ExecuteNonQuery();
                count++;
            }
        }

        transaction.Commit();
        return count;
    }
}
