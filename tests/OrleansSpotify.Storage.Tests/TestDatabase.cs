using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests;

/// <summary>A real SQLite file in a fresh temporary directory, deleted afterwards.</summary>
internal sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "orleans-spotify-tests", Guid.NewGuid().ToString("N"));
        Options = new StorageOptions { DataDirectory = Directory };
        Database = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<SqliteDatabase>.Instance);
        Database.Initialize();
        Accounts = new AccountStore(Database);
        Queries = new PlayQueries(Database);
    }

    public string Directory { get; }

    public StorageOptions Options { get; }

    public SqliteDatabase Database { get; }

    public AccountStore Accounts { get; }

    public PlayQueries Queries { get; }

    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    public static TrackInfo Track(string id, string name = "Song", params string[] artists) => new(
        "spotify:track:" + id,
        id,
        name,
        200_000,
        false,
        false,
        "ISRC" + id,
        new AlbumInfo("album-" + id, "Album " + id, "album", "2020-01-01", "https://img/" + id),
        [.. (artists.Length == 0 ? ["Artist"] : artists).Select((a, i) => new ArtistInfo("artist-" + a, a))]);

    public static PlayRecord Play(TrackInfo track, DateTimeOffset at, string? context = "spotify:album:x") =>
        new(at, track, null, context, context is null ? null : "album", PlaySource.RecentlyPlayed);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
