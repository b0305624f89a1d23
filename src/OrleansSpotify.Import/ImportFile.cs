using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import;

/// <summary>
/// One file to import, recognised: a loose file or an entry of a zip. <see cref="Open"/> gives its content (a zip entry
/// is inflated with the limits of <see cref="ImportLimits"/> enforced on the bytes actually inflated); read it with
/// <see cref="ImportReaders"/>. Valid while its <see cref="ImportSource"/> is not disposed.
/// </summary>
/// <param name="Name">The file's name; inside a zip <c>archive.zip/folder/entry.json</c>. Errors and reports name it.</param>
/// <param name="Format">What it holds, by name or (loose files with another name) by content.</param>
/// <param name="Length">Its size in bytes (for a zip entry, what the header claims uncompressed: for progress only).</param>
public sealed record ImportFile(string Name, ImportFormat Format, long Length)
{
    private Func<Stream> _opener = () => throw new InvalidOperationException("This file has no content.");

    /// <summary>How <see cref="Open"/> gets the content (set by <see cref="ImportSource"/>).</summary>
    internal Func<Stream> Opener
    {
        get => _opener;
        init => _opener = value;
    }

    /// <summary>A fresh stream of the file's content; the caller disposes it.</summary>
    public Stream Open() => _opener();
}

/// <summary>An entry of a zip that is not imported, and why (the ReadMe PDF, <c>Userdata.json</c>, …).</summary>
public sealed record SkippedEntry(string Name, string Reason);
