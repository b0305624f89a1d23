using System.ComponentModel.DataAnnotations;

namespace OrleansSpotify.Grains;

/// <summary>The stats grains' answer caches, bound from the <c>Stats</c> section.</summary>
public sealed class StatsCacheOptions
{
    public const string SectionName = "Stats";

    /// <summary>
    /// The most bytes of answers (their JSON size) one stats grain keeps — one per member plus the household's; the
    /// least recently used answers go first. 0 turns caching off.
    /// </summary>
    [Range(0, 1L << 40)]
    public long CacheBytesPerGrain { get; set; } = 16 * 1024 * 1024;
}
