namespace OrleansSpotify.Storage;

/// <summary>Loads accounts' packed play logs (see <see cref="PlayLogFormat"/>).</summary>
public sealed class PlayLogReader(SqliteDatabase database)
{
    /// <summary>The account's plays sorted by time; null when the account does not exist.</summary>
    public PlayLog? Load(string accountKey)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.id, c.play_count, c.data
            FROM accounts a LEFT JOIN play_log_chunks c ON c.account_id = a.id
            WHERE a.account_key = $key
            ORDER BY c.chunk;
            """;
        command.Parameters.AddWithValue("$key", accountKey);
        using var reader = command.ExecuteReader();
        var chunks = new List<(byte[], int)>();
        var found = false;
        while (reader.Read())
        {
            found = true;
            if (!reader.IsDBNull(1))
            {
                chunks.Add(((byte[])reader[2], reader.GetInt32(1)));
            }
        }

        return found ? PlayLog.FromChunks(chunks) : null;
    }
}
