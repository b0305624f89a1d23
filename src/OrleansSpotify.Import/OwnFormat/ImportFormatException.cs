namespace OrleansSpotify.Import;

/// <summary>
/// A file that cannot be imported: malformed JSON, a truncated file, a file of another format, a bad value, an unsafe
/// zip. The message names the file and, where there is one, the record (the 0-based index of the object in the file's
/// array, the same index as <see cref="Abstractions.ImportedPlay.Record"/>):
/// <c>Streaming_History_Audio_2021.json, record 17: ts is not a date</c>.
/// </summary>
public sealed class ImportFormatException : Exception
{
    public ImportFormatException(string file, long? record, string reason, Exception? innerException = null)
        : base(Describe(file, record, reason), innerException)
    {
        File = file;
        Record = record;
        Reason = reason;
    }

    /// <summary>The file's name (inside a zip: <c>archive.zip/folder/entry.json</c>).</summary>
    public string File { get; }

    /// <summary>The 0-based record index, or null when the problem is the file as a whole.</summary>
    public long? Record { get; }

    /// <summary>What is wrong, without the file and record.</summary>
    public string Reason { get; }

    private static string Describe(string file, long? record, string reason) =>
        record is { } index ? $"{file}, record {index}: {reason}" : $"{file}: {reason}";
}
