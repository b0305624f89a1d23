using System.ComponentModel.DataAnnotations;

namespace OrleansSpotify.Import;

/// <summary>
/// What an import accepts, bound from the <c>Import</c> configuration section. The zip limits are checked against the
/// bytes actually inflated, never against what an entry's header claims.
/// </summary>
public sealed class ImportLimits
{
    public const string SectionName = "Import";

    /// <summary>An entry of a zip (or a loose file) may hold at most this many bytes (uncompressed).</summary>
    [Range(1L, long.MaxValue)]
    public long MaxEntryBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>An entry may inflate to at most this many times its compressed size.</summary>
    [Range(1, 100_000)]
    public int MaxCompressionRatio { get; set; } = 100;

    /// <summary>
    /// The ratio is only enforced once an entry has inflated more than this many bytes: a small file of repeated text
    /// (an empty array padded with whitespace, say) legitimately compresses far better than 100:1 and is harmless.
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long RatioCheckFloorBytes { get; set; } = 1024 * 1024;

    /// <summary>A zip may list at most this many entries (folders included).</summary>
    [Range(1, 1_000_000)]
    public int MaxEntries { get; set; } = 500;

    /// <summary>An upload (all files of one request, for the API) may be at most this many bytes.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>A single record (one object of a file's array) may be at most this many bytes; real ones are under 2 KB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRecordBytes { get; set; } = 1024 * 1024;
}
