using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace OrleansSpotify.Storage.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests : IDisposable
{
    private const UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "orleans-spotify-private-files", Guid.NewGuid().ToString("N"));

    public PrivateFilesTests()
    {
        Directory.CreateDirectory(_root);
        File.SetUnixFileMode(_root, Open);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void MissingParentsAreCreated0700AndExistingOnesAreLeftAlone()
    {
        var leaf = Path.Combine(_root, "data", "demo");

        PrivateFiles.EnsureDirectory(leaf);

        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(leaf));
        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(Path.Combine(_root, "data")));
        Assert.Equal(Open, File.GetUnixFileMode(_root));
    }

    [Fact]
    public void ADatabaseIsCreated0600AndAnOlderOnesFilesAndDirectoryAreTightened()
    {
        var directory = Path.Combine(_root, "old");
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, Open);
        var database = Path.Combine(directory, "orleans-spotify.db");
        using (var old = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = "CREATE TABLE left_by_an_older_version (x INTEGER);";
            command.ExecuteNonQuery();
        }

        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var opened = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = directory }), NullLogger<SqliteDatabase>.Instance);
        opened.Initialize();

        // -wal and -shm exist only while a connection is open: hold one (another test clearing SQLite's pools would
        // otherwise close the last one, and SQLite deletes them).
        using var connection = opened.Open();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM sqlite_master;";
            read.ExecuteScalar();
        }

        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(directory));
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(database + suffix));
        }
    }
}
