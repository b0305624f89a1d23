using Microsoft.Data.Sqlite;

namespace OrleansSpotify.Storage;

/// <summary>A stored grain state: an opaque payload with its optimistic-concurrency tag.</summary>
public sealed record StoredGrainState(byte[] Payload, string ETag);

/// <summary>Raised when a write's expected ETag does not match the stored one.</summary>
public sealed class GrainStateConflictException(string stateName, string grainId, string? expected, string? stored)
    : Exception($"State '{stateName}' of grain '{grainId}' changed concurrently: expected ETag '{expected ?? "<none>"}', stored '{stored ?? "<none>"}'.")
{
    public string? StoredETag { get; } = stored;

    public string? ExpectedETag { get; } = expected;
}

/// <summary>Rows of <c>grain_state</c>, for the SQLite grain storage provider.</summary>
public sealed class GrainStateStore(SqliteDatabase database)
{
    public StoredGrainState? Read(string stateName, string grainId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload, etag FROM grain_state WHERE state_name = $state AND grain_id = $grain;";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StoredGrainState((byte[])reader[0], reader.GetString(1)) : null;
    }

    /// <summary>Writes the payload if the stored ETag is <paramref name="expectedETag"/> (null: no row yet); returns the new ETag.</summary>
    public string Write(string stateName, string grainId, byte[] payload, string? expectedETag, DateTimeOffset now)
    {
        var newETag = Guid.NewGuid().ToString("N");
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var stored = CurrentETag(connection, transaction, stateName, grainId);
        if (stored != expectedETag)
        {
            throw new GrainStateConflictException(stateName, grainId, expectedETag, stored);
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO grain_state (state_name, grain_id, etag, payload, updated_at) VALUES ($state, $grain, $etag, $payload, $now)
            ON CONFLICT (state_name, grain_id) DO UPDATE SET etag = excluded.etag, payload = excluded.payload, updated_at = excluded.updated_at;
            """;
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        command.Parameters.AddWithValue("$etag", newETag);
        command.Parameters.Add("$payload", SqliteType.Blob).Value = payload;
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.ExecuteNonQuery();
        transaction.Commit();
        return newETag;
    }

    /// <summary>Deletes the row if its ETag matches.</summary>
    public void Clear(string stateName, string grainId, string? expectedETag)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var stored = CurrentETag(connection, transaction, stateName, grainId);
        if (stored is not null && stored != expectedETag)
        {
            throw new GrainStateConflictException(stateName, grainId, expectedETag, stored);
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain;";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private static string? CurrentETag(SqliteConnection connection, SqliteTransaction transaction, string stateName, string grainId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain;";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        return command.ExecuteScalar() as string;
    }
}
