using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage;

/// <summary>A household member as stored.</summary>
public sealed record StoredAccount(
    string AccountKey,
    string SpotifyUserId,
    string DisplayName,
    AccountStatus Status,
    string? StatusDetail,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset CreatedAt,
    long PlayCount,
    bool ShareStats,
    string? TimeZone);

/// <summary>Household members: created or refreshed at sign-in, status kept current by their listener.</summary>
public sealed class AccountStore(SqliteDatabase database)
{
    /// <summary>Creates the account or refreshes its name and sign-in time; the account becomes active.</summary>
    public StoredAccount Upsert(string accountKey, string spotifyUserId, string displayName, DateTimeOffset authorizedAt, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO accounts (account_key, spotify_user_id, display_name, status, status_detail, authorized_at, created_at, updated_at)
            VALUES ($key, $user, $name, 'active', NULL, $authorized, $now, $now)
            ON CONFLICT (account_key) DO UPDATE SET
                spotify_user_id = excluded.spotify_user_id,
                display_name = excluded.display_name,
                status = 'active',
                status_detail = NULL,
                authorized_at = excluded.authorized_at,
                updated_at = excluded.updated_at;
            """;
        command.Parameters.AddWithValue("$key", accountKey);
        command.Parameters.AddWithValue("$user", spotifyUserId);
        command.Parameters.AddWithValue("$name", displayName);
        command.Parameters.AddWithValue("$authorized", UnixTime.ToMs(authorizedAt));
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.ExecuteNonQuery();
        return Get(connection, accountKey)!;
    }

    /// <summary>Records a status change; false when the account does not exist.</summary>
    public bool SetStatus(string accountKey, AccountStatus status, string? detail, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE accounts SET status = $status, status_detail = $detail, updated_at = $now WHERE account_key = $key;";
        command.Parameters.AddWithValue("$status", status.ToWire());
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.Parameters.AddWithValue("$key", accountKey);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Whether the member's stats count in the household's; false when the account does not exist.</summary>
    public bool SetSharing(string accountKey, bool share, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE accounts SET share_stats = $share, updated_at = $now WHERE account_key = $key;";
        command.Parameters.AddWithValue("$share", share ? 1 : 0);
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.Parameters.AddWithValue("$key", accountKey);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>The IANA zone the member's stats default to (null: UTC); false when the account does not exist.</summary>
    public bool SetTimeZone(string accountKey, string? timeZone, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE accounts SET time_zone = $zone, updated_at = $now WHERE account_key = $key;";
        command.Parameters.AddWithValue("$zone", (object?)timeZone ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.Parameters.AddWithValue("$key", accountKey);
        return command.ExecuteNonQuery() == 1;
    }

    public StoredAccount? Get(string accountKey)
    {
        using var connection = database.Open();
        return Get(connection, accountKey);
    }

    public IReadOnlyList<StoredAccount> List()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SelectAccounts + " ORDER BY a.created_at, a.id;";
        return Read(command);
    }

    /// <summary>The keys of accounts whose listeners should be polling.</summary>
    public IReadOnlyList<string> ListActiveKeys()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT account_key FROM accounts WHERE status IN ('active', 'blocked') ORDER BY id;";
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private const string SelectAccounts = """
        SELECT a.account_key, a.spotify_user_id, a.display_name, a.status, a.status_detail, a.authorized_at, a.created_at,
               (SELECT coalesce(sum(c.play_count), 0) FROM play_log_chunks c WHERE c.account_id = a.id), a.share_stats, a.time_zone
        FROM accounts a
        """;

    private static StoredAccount? Get(SqliteConnection connection, string accountKey)
    {
        using var command = connection.CreateCommand();
        command.CommandText = SelectAccounts + " WHERE a.account_key = $key;";
        command.Parameters.AddWithValue("$key", accountKey);
        return Read(command).SingleOrDefault();
    }

    private static List<StoredAccount> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var accounts = new List<StoredAccount>();
        while (reader.Read())
        {
            accounts.Add(new StoredAccount(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                AccountStatusNames.FromWire(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                UnixTime.FromMs(reader.GetInt64(5)),
                UnixTime.FromMs(reader.GetInt64(6)),
                reader.GetInt64(7),
                reader.GetInt64(8) != 0,
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return accounts;
    }
}
