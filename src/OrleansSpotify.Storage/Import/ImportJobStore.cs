using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Import;

/// <summary>An uploaded file as an import job keeps it until it ends.</summary>
/// <param name="Name">The name the member gave it (its last segment).</param>
/// <param name="Path">Where it is, relative to the job's folder (<see cref="ImportJobStore.DirectoryOf"/>).</param>
public sealed record ImportUpload(string Name, string Path);

/// <summary>
/// Import jobs (<c>import_jobs</c>): their uploads, their per-file progress and their state. A batch's progress moves
/// in the batch's own transaction (<see cref="Advance"/>, called by the storage grain just before it commits), so the
/// stored progress is always exactly what is committed. The uploads themselves wait in
/// <c>{DataDirectory}/imports/{id}/</c>, owner-only like the database.
/// </summary>
public sealed class ImportJobStore(SqliteDatabase database, IOptions<StorageOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private static readonly Lock IdGate = new();
    private static long _lastIdMs;

    private const string Select = """
        SELECT j.id, a.account_key, j.state, j.created_at, j.started_at, j.finished_at, j.progress, j.skipped_entries, j.error
        FROM import_jobs j JOIN accounts a ON a.id = j.account_id
        """;

    /// <summary>The folder that holds every job's uploads.</summary>
    public string ImportsDirectory => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "imports");

    /// <summary>The folder of one job's uploads.</summary>
    /// <exception cref="ArgumentException">The id is not a job id (letters, digits and dashes).</exception>
    public string DirectoryOf(string jobId)
    {
        if (!IsJobId(jobId))
        {
            throw new ArgumentException($"'{jobId}' is not an import job id.", nameof(jobId));
        }

        return Path.Combine(ImportsDirectory, jobId);
    }

    /// <summary>Job ids are what <see cref="NewId"/> makes: 32 lowercase hex digits.</summary>
    public static bool IsJobId(string? jobId) =>
        jobId is { Length: > 0 and <= 64 } && jobId.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'z') or '-');

    /// <summary>
    /// A new job id: a UUID v7 (time-ordered) whose time is at least a millisecond past the previous id's in this
    /// process, so that ids sort by creation even when the clock stands still or steps back.
    /// </summary>
    public static string NewId(DateTimeOffset now)
    {
        lock (IdGate)
        {
            var ms = Math.Max(now.ToUnixTimeMilliseconds(), _lastIdMs + 1);
            _lastIdMs = ms;
            return Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(ms)).ToString("N");
        }
    }

    /// <summary>Records a queued job. Throws <see cref="UnknownAccountException"/> (recording nothing) for an unknown account.</summary>
    public void Create(ImportJobStatus status, IReadOnlyList<ImportUpload> uploads)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(uploads);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO import_jobs (id, account_id, state, created_at, started_at, finished_at, files, progress, skipped_entries, error)
            SELECT $id, a.id, $state, $created, NULL, NULL, $files, $progress, $skipped, NULL FROM accounts a WHERE a.account_key = $key;
            """;
        command.Parameters.AddWithValue("$id", status.JobId);
        command.Parameters.AddWithValue("$state", StateText(status.State));
        command.Parameters.AddWithValue("$created", UnixTime.ToMs(status.CreatedAt));
        command.Parameters.AddWithValue("$files", JsonSerializer.Serialize(uploads, Json));
        command.Parameters.AddWithValue("$progress", JsonSerializer.Serialize(status.Files, Json));
        command.Parameters.AddWithValue("$skipped", JsonSerializer.Serialize(status.SkippedEntries, Json));
        command.Parameters.AddWithValue("$key", status.AccountKey);
        if (command.ExecuteNonQuery() == 0)
        {
            throw new UnknownAccountException(status.AccountKey);
        }
    }

    /// <summary>The job, or null when there is none with this id.</summary>
    public ImportJobStatus? Get(string jobId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Select + " WHERE j.id = $id;";
        command.Parameters.AddWithValue("$id", jobId);
        return Read(command).FirstOrDefault();
    }

    /// <summary>The account's jobs, newest first.</summary>
    public IReadOnlyList<ImportJobStatus> List(string accountKey)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Select + " WHERE a.account_key = $key ORDER BY j.created_at DESC, j.id DESC;";
        command.Parameters.AddWithValue("$key", accountKey);
        return Read(command);
    }

    /// <summary>The ids of the jobs not finished (queued or running), oldest first: what a silo resumes at start.</summary>
    public IReadOnlyList<string> ListUnfinished()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM import_jobs WHERE state IN ('queued', 'running') ORDER BY created_at, id;";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>The job's uploads in order; null for an unknown job.</summary>
    public IReadOnlyList<ImportUpload>? Uploads(string jobId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT files FROM import_jobs WHERE id = $id;";
        command.Parameters.AddWithValue("$id", jobId);
        return command.ExecuteScalar() is string files ? JsonSerializer.Deserialize<List<ImportUpload>>(files, Json) : null;
    }

    /// <summary>Marks an unfinished job running (its first start keeps <c>started_at</c>); returns it, or null when it is unknown or finished.</summary>
    public ImportJobStatus? Start(string jobId, DateTimeOffset now)
    {
        using var connection = database.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                UPDATE import_jobs SET state = 'running', started_at = coalesce(started_at, $now), error = NULL
                WHERE id = $id AND state IN ('queued', 'running');
                """;
            command.Parameters.AddWithValue("$id", jobId);
            command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
            if (command.ExecuteNonQuery() == 0)
            {
                return null;
            }
        }

        return Get(jobId);
    }

    /// <summary>Ends an unfinished job (done or failed); returns it as it ends, or null when it was unknown or had ended.</summary>
    public ImportJobStatus? Finish(string jobId, ImportJobState state, DateTimeOffset now, string? error)
    {
        if (state is not (ImportJobState.Done or ImportJobState.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "A job ends done or failed.");
        }

        using var connection = database.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                UPDATE import_jobs SET state = $state, finished_at = $now, error = $error
                WHERE id = $id AND state IN ('queued', 'running');
                """;
            command.Parameters.AddWithValue("$id", jobId);
            command.Parameters.AddWithValue("$state", StateText(state));
            command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
            command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            if (command.ExecuteNonQuery() == 0)
            {
                return null;
            }
        }

        return Get(jobId);
    }

    /// <summary>
    /// Moves the job's progress to <paramref name="checkpoint"/> inside <paramref name="transaction"/> (the batch's own),
    /// adding the batch's counts. A checkpoint the job has already reached (the same batch offered again) changes
    /// nothing and returns false. Throws <see cref="InvalidOperationException"/> (so the batch rolls back) when the job or
    /// its file does not exist.
    /// </summary>
    public static bool Advance(SqliteTransaction transaction, ImportCheckpoint checkpoint, ImportBatchResult result)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(result);
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has ended.");
        string progressJson;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT progress FROM import_jobs WHERE id = $id;";
            read.Parameters.AddWithValue("$id", checkpoint.JobId);
            progressJson = read.ExecuteScalar() as string
                ?? throw new InvalidOperationException($"There is no import job '{checkpoint.JobId}'; the batch is not stored.");
        }

        var files = JsonSerializer.Deserialize<ImmutableArray<ImportFileProgress>>(progressJson, Json);
        if (checkpoint.FileIndex < 0 || checkpoint.FileIndex >= files.Length)
        {
            throw new InvalidOperationException($"Import job '{checkpoint.JobId}' has no file {checkpoint.FileIndex}; the batch is not stored.");
        }

        var file = files[checkpoint.FileIndex];
        if (checkpoint.NextRecord <= file.NextRecord)
        {
            return false;
        }

        var skipped = file.Skipped.ToBuilder();
        foreach (var (reason, count) in result.Skipped)
        {
            skipped[reason] = skipped.GetValueOrDefault(reason) + count;
        }

        files = files.SetItem(checkpoint.FileIndex, file with
        {
            NextRecord = checkpoint.NextRecord,
            Imported = file.Imported + result.Imported,
            Merged = file.Merged + result.Merged,
            Duplicates = file.Duplicates + result.Duplicates,
            Skipped = skipped.ToImmutable(),
        });
        using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = "UPDATE import_jobs SET progress = $progress WHERE id = $id;";
        write.Parameters.AddWithValue("$id", checkpoint.JobId);
        write.Parameters.AddWithValue("$progress", JsonSerializer.Serialize(files, Json));
        write.ExecuteNonQuery();
        return true;
    }

    private static List<ImportJobStatus> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var jobs = new List<ImportJobStatus>();
        while (reader.Read())
        {
            jobs.Add(new ImportJobStatus(
                reader.GetString(0),
                reader.GetString(1),
                ParseState(reader.GetString(2)),
                UnixTime.FromMs(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : UnixTime.FromMs(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : UnixTime.FromMs(reader.GetInt64(5)),
                JsonSerializer.Deserialize<ImmutableArray<ImportFileProgress>>(reader.GetString(6), Json),
                JsonSerializer.Deserialize<ImmutableArray<ImportSkippedEntry>>(reader.GetString(7), Json),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return jobs;
    }

    private static string StateText(ImportJobState state) => state switch
    {
        ImportJobState.Queued => "queued",
        ImportJobState.Running => "running",
        ImportJobState.Done => "done",
        ImportJobState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    private static ImportJobState ParseState(string text) => text switch
    {
        "queued" => ImportJobState.Queued,
        "running" => ImportJobState.Running,
        "done" => ImportJobState.Done,
        "failed" => ImportJobState.Failed,
        _ => throw new InvalidDataException($"Unknown import job state '{text}'."),
    };
}
