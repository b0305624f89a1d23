using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import;

/// <summary>The registered <see cref="IImportFormatReader"/>s, one per format: routes a recognised file to its reader.</summary>
public sealed class ImportReaders
{
    private readonly Dictionary<ImportFormat, IImportFormatReader> _readers = [];

    public ImportReaders(IEnumerable<IImportFormatReader> readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        foreach (var reader in readers)
        {
            if (!_readers.TryAdd(reader.Format, reader))
            {
                throw new ArgumentException($"Two readers are registered for {reader.Format}: {_readers[reader.Format].GetType().Name} and {reader.GetType().Name}.", nameof(readers));
            }
        }
    }

    public bool Supports(ImportFormat format) => _readers.ContainsKey(format);

    /// <summary>Reads <paramref name="stream"/> with the reader of <paramref name="format"/>.</summary>
    /// <exception cref="ImportFormatException">No reader reads that format in this build, or the file is bad.</exception>
    public IAsyncEnumerable<ImportedPlay> ReadAsync(Stream stream, string fileName, ImportFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return _readers.TryGetValue(format, out var reader)
            ? reader.ReadAsync(stream, fileName, cancellationToken)
            : throw new ImportFormatException(fileName, null, $"no reader for the {format} format is installed");
    }

    /// <summary>Opens <paramref name="file"/> and reads it with its format's reader; the stream is closed at the end.</summary>
    public async IAsyncEnumerable<ImportedPlay> ReadAsync(ImportFile file, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!_readers.TryGetValue(file.Format, out var reader))
        {
            throw new ImportFormatException(file.Name, null, $"no reader for the {file.Format} format is installed");
        }

        await using var stream = file.Open();
        await foreach (var play in reader.ReadAsync(stream, file.Name, cancellationToken))
        {
            yield return play;
        }
    }
}
