using System.Globalization;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Export;

/// <summary>The export formats.</summary>
public enum ExportFormat
{
    /// <summary>RFC 4180 CSV, UTF-8, a header row, one play per row.</summary>
    Csv,

    /// <summary>The <c>orleans-spotify-plays</c> JSON document: every field of every play, importable again.</summary>
    Json,

    /// <summary>The zip ListenBrainz's importer accepts: <c>listens/&lt;YYYY&gt;/&lt;M&gt;.jsonl</c>.</summary>
    ListenBrainz,
}

/// <summary>What an export is of: its accounts (in order), when it was made and by which version of the service.</summary>
/// <param name="Household">The household's export (any number of members) rather than one account's: the ListenBrainz zip is then a zip of each member's zip.</param>
public sealed record ExportDocument(IReadOnlyList<ExportAccount> Accounts, DateTimeOffset ExportedAt, string ServiceVersion, bool Household = false);

/// <summary>What an export wrote: plays, bytes, and the most bytes held in memory at once before being sent on.</summary>
public sealed record ExportSummary(long Plays, long Bytes, int MaxHeldBytes);

/// <summary>Counts the plays a writer takes.</summary>
internal sealed class CountingPlays(IEnumerable<ExportedPlay> plays) : IEnumerable<ExportedPlay>
{
    public long Count { get; private set; }

    public IEnumerator<ExportedPlay> GetEnumerator()
    {
        foreach (var play in plays)
        {
            Count++;
            yield return play;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Writes plays, as <see cref="PlayExport"/> reads them, in one format, streaming.</summary>
public abstract class PlayExportWriter
{
    public abstract ExportFormat Format { get; }

    /// <summary>The response's media type.</summary>
    public abstract string ContentType { get; }

    /// <summary>The order the plays must come in (per account; accounts in the document's order).</summary>
    public virtual ExportOrder Order => ExportOrder.EndOfPlay;

    /// <summary>The download's file name: <c>orleans-spotify-&lt;who&gt;-&lt;yyyyMMdd&gt;…</c>.</summary>
    public abstract string FileName(string who, DateTimeOffset exportedAt);

    /// <summary>
    /// Writes the export to <paramref name="output"/>, sending it on every <see cref="ExportSink.FlushThreshold"/>
    /// bytes or so: what is held in memory does not grow with the number of plays.
    /// </summary>
    public async Task<ExportSummary> WriteAsync(ExportDocument document, IEnumerable<ExportedPlay> plays, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(plays);
        await using var sink = new ExportSink(output);
        var counted = new CountingPlays(plays);
        await WriteAsync(document, counted, sink, cancellationToken);
        await sink.DrainAsync(cancellationToken);
        return new ExportSummary(counted.Count, sink.Position, sink.MaxPending);
    }

    /// <summary>Writes into the sink, calling <see cref="ExportSink.DrainIfFullAsync"/> between plays.</summary>
    protected abstract Task WriteAsync(ExportDocument document, IEnumerable<ExportedPlay> plays, ExportSink sink, CancellationToken cancellationToken);

    /// <summary>The writer of a format.</summary>
    public static PlayExportWriter For(ExportFormat format) => format switch
    {
        ExportFormat.Csv => new CsvPlayWriter(),
        ExportFormat.Json => new JsonPlayWriter(),
        ExportFormat.ListenBrainz => new ListenBrainzZipWriter(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>An instant as the exports write it: ISO 8601, UTC, milliseconds (<c>2026-11-25T18:30:00.123Z</c>).</summary>
    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The file-name-safe form of a name (letters, digits, '-' and '_').</summary>
    protected static string Safe(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    protected static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}

/// <summary>The names of <see cref="PlaySource"/> in exports (<c>play_sources.name</c> in schema.sql).</summary>
public static class PlaySourceNames
{
    public static string Name(PlaySource source) => source switch
    {
        PlaySource.RecentlyPlayed => "recently-played",
        PlaySource.ImportExtendedHistory => "import-extended-history",
        PlaySource.ImportAccountData => "import-account-data",
        PlaySource.Live => "live",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static PlaySource? Parse(string? name) => name switch
    {
        "recently-played" => PlaySource.RecentlyPlayed,
        "import-extended-history" => PlaySource.ImportExtendedHistory,
        "import-account-data" => PlaySource.ImportAccountData,
        "live" => PlaySource.Live,
        _ => null,
    };
}
