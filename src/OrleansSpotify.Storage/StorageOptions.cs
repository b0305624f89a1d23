using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;

namespace OrleansSpotify.Storage;

/// <summary>Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Where the SQLite database (and the host's data-protection keys) live.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./data";

    [Required(AllowEmptyStrings = false)]
    public string DatabaseFileName { get; set; } = "orleans-spotify.db";

    /// <summary>How long a connection waits for another writer's lock before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, DatabaseFileName));

    public string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = DatabasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = (int)Math.Ceiling(BusyTimeout.TotalSeconds),
    }.ToString();
}
