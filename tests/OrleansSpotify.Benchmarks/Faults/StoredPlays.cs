using Microsoft.Data.Sqlite;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>What the Host's database holds once it has stopped: every play row and each account's packed-log records.</summary>
public sealed class StoredPlays
{
    private StoredPlays(IReadOnlyDictionary<string, List<(long PlayedAtMs, string Uri)>> plays, IReadOnlyDictionary<string, long> logRecords)
    {
        Plays = plays;
        LogRecords = logRecords;
    }

    /// <summary>Rows of the <c>plays</c> table by account key.</summary>
    public IReadOnlyDictionary<string, List<(long PlayedAtMs, string Uri)>> Plays { get; }

    /// <summary>Records in <c>play_log_chunks</c> by account key (one per play, appended in the same transaction).</summary>
    public IReadOnlyDictionary<string, long> LogRecords { get; }

    public static StoredPlays Read(string databasePath)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();

        var plays = new Dictionary<string, List<(long, string)>>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT a.account_key, p.played_at, t.uri
                FROM plays p JOIN accounts a ON a.id = p.account_id JOIN tracks t ON t.id = p.track_id
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var account = reader.GetString(0);
                if (!plays.TryGetValue(account, out var list))
                {
                    plays[account] = list = [];
                }

                list.Add((reader.GetInt64(1), reader.GetString(2)));
            }
        }

        var log = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT a.account_key, coalesce(sum(c.play_count), 0)
                FROM accounts a LEFT JOIN play_log_chunks c ON c.account_id = a.id
                GROUP BY a.account_key
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                log[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        return new StoredPlays(plays, log);
    }
}
