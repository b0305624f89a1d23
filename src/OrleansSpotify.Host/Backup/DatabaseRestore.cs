using Microsoft.Data.Sqlite;
using OrleansSpotify.Host.Secrets;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Backup;

/// <summary>
/// <c>restore --from FILE</c>: the database and the key ring of a backup into an empty data directory (or, with
/// <c>--force</c>, in place of what is there; stop the service first). Both are prepared under temporary names in the
/// data directory and renamed into place, the database last: a failed restore leaves no half-written database.
/// </summary>
internal static class DatabaseRestore
{
    public static string Restore(StorageOptions storage, string file, bool force)
    {
        var source = Path.GetFullPath(file);
        if (!File.Exists(source))
        {
            throw new CommandException($"{source} does not exist.");
        }

        CheckIsBackup(source);

        var dataDirectory = Path.GetFullPath(storage.DataDirectory);
        var database = storage.DatabasePath;
        var keys = Path.Combine(dataDirectory, SecretsExtensions.KeysFolder);
        var occupied = PrivateFiles.DatabaseSuffixes.Any(suffix => File.Exists(database + suffix))
            || (Directory.Exists(keys) && Directory.EnumerateFileSystemEntries(keys).Any());
        if (occupied && !force)
        {
            throw new CommandException($"the data directory {dataDirectory} already holds a database or a key ring: restore into an empty one, or add --force to replace them (with the service stopped).");
        }

        var temporary = Path.Combine(dataDirectory, $".restore-{Guid.NewGuid():N}.db");
        var temporaryKeys = Path.Combine(dataDirectory, $".restore-keys-{Guid.NewGuid():N}");
        try
        {
            PrivateFiles.EnsureDirectory(dataDirectory);
            PrivateFiles.CreateNew(temporary).Dispose();
            long accounts;
            int keyCount;
            using (var backup = BackupFormat.Open(source, SqliteOpenMode.ReadOnly))
            using (var restored = BackupFormat.Open(temporary, SqliteOpenMode.ReadWrite))
            {
                backup.BackupDatabase(restored);
                keyCount = WriteKeyRing(restored, temporaryKeys);

                // The key ring lives in keys/, not in the database: its copy is dropped and its pages purged.
                BackupFormat.Execute(restored, "PRAGMA secure_delete = ON;");
                BackupFormat.Execute(restored, $"DROP TABLE {BackupFormat.KeyRingTable}; DROP TABLE {BackupFormat.ManifestTable};");
                BackupFormat.Execute(restored, "VACUUM;");
                accounts = BackupFormat.Count(restored, "accounts");
            }

            if (force)
            {
                foreach (var suffix in PrivateFiles.DatabaseSuffixes)
                {
                    File.Delete(database + suffix);
                }

                if (Directory.Exists(keys))
                {
                    Directory.Delete(keys, recursive: true);
                }
            }

            Directory.Move(temporaryKeys, keys);
            File.Move(temporary, database);
            return $"Restored {accounts} accounts and {keyCount} key ring files from {source} into {dataDirectory}.";
        }
        catch (SqliteException exception)
        {
            throw new CommandException($"{source} could not be restored: {exception.Message}", exception);
        }
        catch (IOException exception)
        {
            throw new CommandException($"{dataDirectory} could not be written: {exception.Message}", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new CommandException($"{dataDirectory} could not be written: {exception.Message}", exception);
        }
        finally
        {
            BackupFormat.DeleteQuietly(temporary);
            if (Directory.Exists(temporaryKeys))
            {
                Directory.Delete(temporaryKeys, recursive: true);
            }
        }
    }

    private static void CheckIsBackup(string source)
    {
        try
        {
            using var backup = BackupFormat.Open(source, SqliteOpenMode.ReadOnly);
            using var format = backup.CreateCommand();
            format.CommandText = $"SELECT value FROM {BackupFormat.ManifestTable} WHERE key = 'format';";
            if (format.ExecuteScalar() as string != BackupFormat.Format)
            {
                throw new CommandException($"{source} is not an OrleansSpotify backup of a format this version reads ({BackupFormat.Format}).");
            }

            using var check = backup.CreateCommand();
            check.CommandText = "PRAGMA quick_check;";
            if (check.ExecuteScalar() as string != "ok")
            {
                throw new CommandException($"{source} is damaged (SQLite's quick_check failed).");
            }
        }
        catch (SqliteException exception)
        {
            throw new CommandException($"{source} is not an OrleansSpotify backup (made by `backup --to FILE`): {exception.Message}", exception);
        }
    }

    private static int WriteKeyRing(SqliteConnection backup, string directory)
    {
        PrivateFiles.EnsureDirectory(directory);
        using var command = backup.CreateCommand();
        command.CommandText = $"SELECT name, xml FROM {BackupFormat.KeyRingTable};";
        using var reader = command.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if (Path.GetFileName(name) != name || !name.EndsWith(".xml", StringComparison.Ordinal))
            {
                throw new CommandException($"the backup names a key ring file '{name}' that is not a plain .xml file name: it is damaged.");
            }

            using (var stream = PrivateFiles.CreateNew(Path.Combine(directory, name)))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(reader.GetString(1));
            }

            count++;
        }

        return count;
    }
}
