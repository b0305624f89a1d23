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

    /// <summary>
    /// Caps the database at this many pages (SQLite's <c>max_page_count</c>, applied to every connection; a page is
    /// 4 KiB). Unset: no cap but the volume's size. An operator's knob to bound the file; the tests use it to make a
    /// full disk. Writes that would grow the file beyond it fail as on a full disk, and <c>/readyz</c> says so.
    /// </summary>
    [Range(1L, SqliteDatabase.NoPageLimit)]
    public long? MaxPageCount { get; set; }

    /// <summary>
    /// <c>/readyz</c> reports the database unready when less room than this is left for it to grow (free space on the
    /// data directory's volume, or under <see cref="MaxPageCount"/>): plays, genres and status writes would soon fail.
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long MinFreeBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// How long the result of <c>/readyz</c>'s database write is reused: probes, however frequent, write at most
    /// once per interval. Keep it below your probe interval so a failure shows at the next probe.
    /// </summary>
    public TimeSpan WriteProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

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
