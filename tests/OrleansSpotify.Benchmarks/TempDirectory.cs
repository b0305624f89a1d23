using Microsoft.Data.Sqlite;

namespace OrleansSpotify.Benchmarks;

/// <summary>A fresh directory for SQLite files; disposing deletes it with everything in it.</summary>
public sealed class TempDirectory : IDisposable
{
    private readonly bool _isRoot;

    private TempDirectory(string path, bool isRoot)
    {
        Path = path;
        _isRoot = isRoot;
        Directory.CreateDirectory(path);
    }

    public string Path { get; }

    private static string RootParent => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orleans-spotify-benchmarks");

    /// <summary>The root of one benchmark run: <c>$TMPDIR/orleans-spotify-benchmarks/&lt;id&gt;</c>.</summary>
    public static TempDirectory CreateRoot() => new(NewPath(RootParent), isRoot: true);

    /// <summary>A directory for one run, inside <paramref name="root"/>.</summary>
    public static TempDirectory Create(TempDirectory root) => new(NewPath(root.Path), isRoot: false);

    public void Dispose()
    {
        // Pooled connections keep the file (and its -wal/-shm) open until the pools are cleared.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not delete {Path}: {exception.Message}");
        }

        if (_isRoot)
        {
            try
            {
                // Only if no other run is using it; a non-empty directory is left alone.
                Directory.Delete(RootParent);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static string NewPath(string parent) => System.IO.Path.Combine(parent, Guid.NewGuid().ToString("N"));
}
