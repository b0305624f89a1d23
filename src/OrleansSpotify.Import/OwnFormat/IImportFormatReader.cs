using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import;

/// <summary>
/// Reads one file of one <see cref="ImportFormat"/> as a stream of rows, never holding the whole file in memory. A bad
/// record throws <see cref="ImportFormatException"/> at that record (the rows before it have been yielded); a file
/// never ends in silence after a partial read.
/// </summary>
public interface IImportFormatReader
{
    ImportFormat Format { get; }

    /// <param name="fileName">The name errors give (inside a zip: <c>archive.zip/folder/entry.json</c>).</param>
    IAsyncEnumerable<ImportedPlay> ReadAsync(Stream stream, string fileName, CancellationToken cancellationToken);
}
