using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansSpotify.Host.Backup;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Tests.Secrets;

/// <summary>Bad input to <c>backup</c> and <c>restore</c>: a clear message, a non-zero exit code, nothing written.</summary>
[Collection(HostCollection.Name)]
public sealed class BackupCommandLineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "orleans-spotify-host-tests", Guid.NewGuid().ToString("N"));

    public BackupCommandLineTests() => Directory.CreateDirectory(_root);

    private string Data => Path.Combine(_root, "data");

    private string Target => Path.Combine(_root, "target");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task ABackupWithoutADatabaseFailsAndWritesNothing()
    {
        var file = Path.Combine(_root, "backup.db");

        var (code, _, error) = await RunAsync("backup", "--to", file, $"--Storage:DataDirectory={Data}");

        Assert.Equal(Commands.Failed, code);
        Assert.Contains("there is no database at", error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public async Task ABackupDoesNotReplaceAnExistingFileUnlessForced()
    {
        CreateDatabase(Data);
        var file = Path.Combine(_root, "backup.db");
        await File.WriteAllTextAsync(file, "keep me", TestContext.Current.CancellationToken);

        var (code, _, error) = await RunAsync("backup", "--to", file, $"--Storage:DataDirectory={Data}");
        Assert.Equal(Commands.Failed, code);
        Assert.Contains("already exists (add --force to replace it)", error, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));

        var forced = await RunAsync("backup", "--to", file, "--force", $"--Storage:DataDirectory={Data}");
        Assert.True(forced.Code == Commands.Ok, forced.Error);
        Assert.Single(Directory.GetFiles(_root));
    }

    [Fact]
    public async Task ARestoreFromAMissingFileFailsAndCreatesNothing()
    {
        var (code, _, error) = await RunAsync("restore", "--from", Path.Combine(_root, "nope.db"), $"--Storage:DataDirectory={Target}");

        Assert.Equal(Commands.Failed, code);
        Assert.Contains("nope.db does not exist", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Target));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("database")]
    [InlineData("empty")]
    public async Task ARestoreFromAFileThatIsNotABackupFailsAndCreatesNothing(string kind)
    {
        var file = Path.Combine(_root, "not-a-backup.db");
        switch (kind)
        {
            case "text":
                await File.WriteAllTextAsync(file, "SQLite format 3? no, a shopping list", TestContext.Current.CancellationToken);
                break;
            case "database":
                CreateDatabase(Data);
                file = Path.Combine(Data, "orleans-spotify.db");
                break;
            default:
                await File.WriteAllBytesAsync(file, [], TestContext.Current.CancellationToken);
                break;
        }

        var (code, _, error) = await RunAsync("restore", "--from", file, $"--Storage:DataDirectory={Target}");

        Assert.Equal(Commands.Failed, code);
        Assert.Contains("is not an OrleansSpotify backup", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task ARestoreIntoADataDirectoryThatHoldsADatabaseFailsAndLeavesItUnlessForced()
    {
        CreateDatabase(Data);
        var file = Path.Combine(_root, "backup.db");
        Assert.Equal(Commands.Ok, (await RunAsync("backup", "--to", file, $"--Storage:DataDirectory={Data}")).Code);
        CreateDatabase(Target);
        SqliteConnection.ClearAllPools();
        var database = Path.Combine(Target, "orleans-spotify.db");
        var before = await File.ReadAllBytesAsync(database, TestContext.Current.CancellationToken);

        var (code, _, error) = await RunAsync("restore", "--from", file, $"--Storage:DataDirectory={Target}");

        Assert.Equal(Commands.Failed, code);
        Assert.Contains("already holds a database or a key ring", error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(database, TestContext.Current.CancellationToken));
        Assert.Equal(["orleans-spotify.db"], Directory.GetFileSystemEntries(Target).Select(Path.GetFileName));

        var forced = await RunAsync("restore", "--from", file, "--force", $"--Storage:DataDirectory={Target}");
        Assert.True(forced.Code == Commands.Ok, forced.Error);
        Assert.Contains("Restored 0 accounts", forced.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Target), e => Path.GetFileName(e).StartsWith(".restore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("backup", "--to")]
    [InlineData("restore", "--from", "--force")]
    public async Task ACommandWithoutItsFileIsAUsageError(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(Commands.Usage, code);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHostProcessExitsNonZeroWithTheMessage()
    {
        var result = await HostProcess.RunAsync("restore", "--from", Path.Combine(_root, "missing.db"), $"--Storage:DataDirectory={Target}");

        Assert.Equal(Commands.Failed, result.ExitCode);
        Assert.Contains("missing.db does not exist", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Target));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Commands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static void CreateDatabase(string directory) =>
        new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = directory }), NullLogger<SqliteDatabase>.Instance).Initialize();
}
