using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// An import job and its report so far (<c>GET /api/imports/{id}</c>, the answer to an upload, the hub's
/// <c>importProgress</c>). Counts are over every file: <see cref="Read"/> of <see cref="Rows"/> are committed;
/// <see cref="Imported"/> + <see cref="Merged"/> + <see cref="Duplicates"/> + <see cref="Skipped"/> = <see cref="Read"/>.
/// </summary>
/// <param name="State">queued, running, done or failed.</param>
/// <param name="Rows">Rows in every file (counted when the upload was accepted).</param>
/// <param name="Read">Rows committed so far.</param>
/// <param name="Imported">New plays stored.</param>
/// <param name="Merged">Rows that were one play with a polled play (which gained the real ms_played).</param>
/// <param name="Duplicates">Rows stored before (a re-import, an overlapping export, a duplicate inside one export).</param>
/// <param name="Skipped">Rows not stored, by reason in <see cref="SkippedByReason"/>.</param>
/// <param name="SkippedEntries">Entries of an uploaded zip that are not history files (the ReadMe PDF, Userdata.json, …).</param>
/// <param name="Error">Why a failed job stopped, naming the file and record.</param>
public sealed record ImportJobView(
    string Id,
    string AccountId,
    ImportJobState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long Rows,
    long Read,
    long Imported,
    long Merged,
    long Duplicates,
    long Skipped,
    IReadOnlyDictionary<string, long> SkippedByReason,
    IReadOnlyList<ImportFileView> Files,
    IReadOnlyList<ImportSkippedEntryView> SkippedEntries,
    string? Error);

/// <summary>One file of an import job (inside a zip: <c>archive.zip/folder/entry.json</c>).</summary>
/// <param name="Format">extended-history, account-data or orleans-spotify.</param>
public sealed record ImportFileView(
    string Name,
    ImportFormat Format,
    long Rows,
    long Read,
    long Imported,
    long Merged,
    long Duplicates,
    long Skipped,
    IReadOnlyDictionary<string, long> SkippedByReason);

public sealed record ImportSkippedEntryView(string Name, string Reason);

public static class ImportViews
{
    public static ImportJobView ToView(this ImportJobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var files = status.Files.IsDefault ? [] : status.Files;
        var byReason = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in files.SelectMany(f => f.Skipped))
        {
            byReason[reason] = byReason.GetValueOrDefault(reason) + count;
        }

        return new ImportJobView(
            status.JobId,
            status.AccountKey,
            status.State,
            status.CreatedAt,
            status.StartedAt,
            status.FinishedAt,
            files.Sum(f => f.Rows),
            files.Sum(f => f.NextRecord),
            files.Sum(f => f.Imported),
            files.Sum(f => f.Merged),
            files.Sum(f => f.Duplicates),
            byReason.Values.Sum(),
            byReason,
            [.. files.Select(ToView)],
            [.. (status.SkippedEntries.IsDefault ? [] : status.SkippedEntries).Select(e => new ImportSkippedEntryView(e.Name, e.Reason))],
            status.Error);
    }

    private static ImportFileView ToView(ImportFileProgress file) => new(
        file.Name,
        file.Format,
        file.Rows,
        file.NextRecord,
        file.Imported,
        file.Merged,
        file.Duplicates,
        file.Skipped.Values.Sum(),
        new SortedDictionary<string, long>(file.Skipped, StringComparer.Ordinal));
}
