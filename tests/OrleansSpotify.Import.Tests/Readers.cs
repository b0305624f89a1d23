using System.Text;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import.Tests;

/// <summary>The readers with the default (or given) limits, and reading a file into a list.</summary>
internal static class Readers
{
    public static ExtendedHistoryReader Extended(ImportLimits? limits = null) => new(Options.Create(limits ?? new ImportLimits()));

    public static AccountDataReader Account(ImportLimits? limits = null) => new(Options.Create(limits ?? new ImportLimits()));

    public static ImportReaders Registry(ImportLimits? limits = null) => new([Extended(limits), Account(limits)]);

    public static Task<List<ImportedPlay>> ReadAsync(IImportFormatReader reader, string json, string fileName = "Streaming_History_Audio_2021.json") =>
        ReadAsync(reader, Encoding.UTF8.GetBytes(json), fileName);

    public static async Task<List<ImportedPlay>> ReadAsync(IImportFormatReader reader, byte[] content, string fileName = "Streaming_History_Audio_2021.json")
    {
        using var stream = new MemoryStream(content, writable: false);
        return await ReadAsync(reader, stream, fileName);
    }

    public static async Task<List<ImportedPlay>> ReadAsync(IImportFormatReader reader, Stream stream, string fileName)
    {
        var rows = new List<ImportedPlay>();
        await foreach (var row in reader.ReadAsync(stream, fileName, TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Reads until the reader throws; returns the rows yielded before and the exception.</summary>
    public static async Task<(List<ImportedPlay> Rows, ImportFormatException Error)> ReadUntilErrorAsync(IImportFormatReader reader, string json, string fileName = "Streaming_History_Audio_2021.json")
    {
        var rows = new List<ImportedPlay>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json), writable: false);
        try
        {
            await foreach (var row in reader.ReadAsync(stream, fileName, TestContext.Current.CancellationToken))
            {
                rows.Add(row);
            }
        }
        catch (ImportFormatException exception)
        {
            return (rows, exception);
        }

        throw new Xunit.Sdk.XunitException($"Expected an ImportFormatException after {rows.Count} rows; the file was read to its end.");
    }
}
