using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage;

/// <summary>
/// The gaps of each account's history (<c>history_gaps</c>, see schema.sql): recorded by the account's listener when a
/// full read of recently-played does not reach back to what is stored, closed by an import whose rows span them. Its
/// own small writes (one row or a few per detection) go beside the play writer, as the share tokens' do; the callers
/// run them off their grain's turn.
/// </summary>
public sealed class HistoryGapStore(SqliteDatabase database)
{
    /// <summary>
    /// The end of the newest play stored for the account that a read of its history can overlap: a play read from
    /// recently-played or imported (sources 1–3). Plays seen live (a later source) are not evidence that the history
    /// before them was read. Null when none is stored (or the account is unknown).
    /// </summary>
    public DateTimeOffset? NewestHistoryPlay(string accountKey)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.played_at FROM plays p
            WHERE p.account_id = (SELECT id FROM accounts WHERE account_key = $key) AND p.source_id IN (1, 2, 3)
            ORDER BY p.played_at DESC LIMIT 1;
            """;
        command.Parameters.AddWithValue("$key", accountKey);
        return command.ExecuteScalar() is long ms ? UnixTime.FromMs(ms) : null;
    }

    /// <summary>
    /// Records the window (<paramref name="from"/>, <paramref name="to"/>) as an open gap of the account, idempotently:
    /// nothing when a stored gap (open or closed) already holds it, else it is merged with the open gaps it overlaps or
    /// touches into one, which keeps the earliest detection time. Returns whether anything changed.
    /// </summary>
    public bool Record(string accountKey, DateTimeOffset from, DateTimeOffset to, DateTimeOffset detectedAt)
    {
        if (to <= from)
        {
            throw new ArgumentException($"A gap ends after it starts ({from:O} .. {to:O}).", nameof(to));
        }

        long fromMs = UnixTime.ToMs(from), toMs = UnixTime.ToMs(to), detectedMs = UnixTime.ToMs(detectedAt);
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        if (AccountId(connection, transaction, accountKey) is not { } accountId)
        {
            return false;
        }

        using (var held = Command(connection, transaction, """
            SELECT count(*) FROM history_gaps WHERE account_id = $account AND from_ms <= $from AND to_ms >= $to;
            """))
        {
            held.Parameters.AddWithValue("$account", accountId);
            held.Parameters.AddWithValue("$from", fromMs);
            held.Parameters.AddWithValue("$to", toMs);
            if ((long)held.ExecuteScalar()! > 0)
            {
                return false;
            }
        }

        var merged = new List<long>();
        using (var overlapping = Command(connection, transaction, """
            SELECT id, from_ms, to_ms, detected_at FROM history_gaps
            WHERE account_id = $account AND closed_by IS NULL AND from_ms <= $to AND to_ms >= $from
            ORDER BY from_ms, id;
            """))
        {
            overlapping.Parameters.AddWithValue("$account", accountId);
            overlapping.Parameters.AddWithValue("$from", fromMs);
            overlapping.Parameters.AddWithValue("$to", toMs);
            using var reader = overlapping.ExecuteReader();
            while (reader.Read())
            {
                merged.Add(reader.GetInt64(0));
                fromMs = Math.Min(fromMs, reader.GetInt64(1));
                toMs = Math.Max(toMs, reader.GetInt64(2));
                detectedMs = Math.Min(detectedMs, reader.GetInt64(3));
            }
        }

        if (merged.Count == 0)
        {
            using var insert = Command(connection, transaction, """
                INSERT INTO history_gaps (account_id, from_ms, to_ms, detected_at) VALUES ($account, $from, $to, $detected);
                """);
            insert.Parameters.AddWithValue("$account", accountId);
            insert.Parameters.AddWithValue("$from", fromMs);
            insert.Parameters.AddWithValue("$to", toMs);
            insert.Parameters.AddWithValue("$detected", detectedMs);
            insert.ExecuteNonQuery();
        }
        else
        {
            using var update = Command(connection, transaction, """
                UPDATE history_gaps SET from_ms = $from, to_ms = $to, detected_at = $detected WHERE id = $id;
                """);
            update.Parameters.AddWithValue("$id", merged[0]);
            update.Parameters.AddWithValue("$from", fromMs);
            update.Parameters.AddWithValue("$to", toMs);
            update.Parameters.AddWithValue("$detected", detectedMs);
            update.ExecuteNonQuery();
            using var delete = Command(connection, transaction, "DELETE FROM history_gaps WHERE id = $id;");
            var id = delete.Parameters.Add("$id", SqliteType.Integer);
            foreach (var other in merged.Skip(1))
            {
                id.Value = other;
                delete.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        return true;
    }

    /// <summary>
    /// Closes the account's open gaps that lie within [<paramref name="first"/>, <paramref name="last"/>], the span of
    /// an import's rows (its first row at or before a gap's start, its last at or after its end), as
    /// <paramref name="closedBy"/>. Returns how many it closed.
    /// </summary>
    public int CloseCovered(string accountKey, DateTimeOffset first, DateTimeOffset last, string closedBy, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE history_gaps SET closed_by = $by, closed_at = $now
            WHERE account_id = (SELECT id FROM accounts WHERE account_key = $key) AND closed_by IS NULL
              AND from_ms >= $first AND to_ms <= $last;
            """;
        command.Parameters.AddWithValue("$key", accountKey);
        command.Parameters.AddWithValue("$by", closedBy);
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.Parameters.AddWithValue("$first", UnixTime.ToMs(first));
        command.Parameters.AddWithValue("$last", UnixTime.ToMs(last));
        return command.ExecuteNonQuery();
    }

    /// <summary>Every gap of the account, open and closed, oldest window first.</summary>
    public IReadOnlyList<HistoryGap> List(string accountKey)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT from_ms, to_ms, detected_at, closed_by FROM history_gaps
            WHERE account_id = (SELECT id FROM accounts WHERE account_key = $key)
            ORDER BY from_ms, to_ms, id;
            """;
        command.Parameters.AddWithValue("$key", accountKey);
        return Read(command);
    }

    /// <summary>The account's open gaps where plays of [<paramref name="from"/>, <paramref name="to"/>) may be missing (see <see cref="HistoryGap.Overlaps"/>).</summary>
    public IReadOnlyList<HistoryGap> OpenWithin(string accountKey, DateTimeOffset? from, DateTimeOffset? to)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT from_ms, to_ms, detected_at, closed_by FROM history_gaps
            WHERE account_id = (SELECT id FROM accounts WHERE account_key = $key) AND closed_by IS NULL
              AND to_ms > $from AND from_ms < $to
            ORDER BY from_ms, to_ms, id;
            """;
        command.Parameters.AddWithValue("$key", accountKey);
        command.Parameters.AddWithValue("$from", from is { } f ? UnixTime.ToMs(f) : long.MinValue);
        command.Parameters.AddWithValue("$to", to is { } t ? UnixTime.ToMs(t) : long.MaxValue);
        return [.. Read(command).Where(g => g.Overlaps(from, to))];
    }

    /// <summary>
    /// The open gaps of the members who share their stats (those the household's stats count) where plays of
    /// [<paramref name="from"/>, <paramref name="to"/>) may be missing, oldest window first.
    /// </summary>
    public IReadOnlyList<HistoryGap> OpenWithinHousehold(DateTimeOffset? from, DateTimeOffset? to)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT g.from_ms, g.to_ms, g.detected_at, g.closed_by FROM history_gaps g JOIN accounts a ON a.id = g.account_id
            WHERE a.share_stats = 1 AND g.closed_by IS NULL AND g.to_ms > $from AND g.from_ms < $to
            ORDER BY g.from_ms, g.to_ms, g.id;
            """;
        command.Parameters.AddWithValue("$from", from is { } f ? UnixTime.ToMs(f) : long.MinValue);
        command.Parameters.AddWithValue("$to", to is { } t ? UnixTime.ToMs(t) : long.MaxValue);
        return [.. Read(command).Where(g => g.Overlaps(from, to))];
    }

    private static List<HistoryGap> Read(SqliteCommand command)
    {
        var gaps = new List<HistoryGap>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            gaps.Add(new HistoryGap(
                UnixTime.FromMs(reader.GetInt64(0)),
                UnixTime.FromMs(reader.GetInt64(1)),
                UnixTime.FromMs(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return gaps;
    }

    private static long? AccountId(SqliteConnection connection, SqliteTransaction transaction, string accountKey)
    {
        using var command = Command(connection, transaction, "SELECT id FROM accounts WHERE account_key = $key;");
        command.Parameters.AddWithValue("$key", accountKey);
        return command.ExecuteScalar() as long?;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
