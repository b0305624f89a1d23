using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrleansSpotify.Storage;

/// <summary>A share token as stored: never the token itself, only what identifies and describes it.</summary>
/// <param name="Hint">The token's last 4 characters.</param>
public sealed record StoredShareToken(
    long Id,
    string AccountKey,
    string DisplayName,
    string Label,
    bool IncludeRecent,
    string Hint,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt);

/// <summary>A token just created: the only time its text exists outside the member's hands.</summary>
public sealed record CreatedShareToken(StoredShareToken Stored, string Token);

/// <summary>
/// Share tokens: 32 random bytes, base64url (43 characters). Only their SHA-256 is stored, so a copy of the
/// database does not hand out working links. Deleting a token revokes it.
/// </summary>
public sealed partial class ShareTokenStore(SqliteDatabase database, ILogger<ShareTokenStore>? logger = null)
{
    public const int TokenBytes = 32;

    /// <summary><c>last_used_at</c> is written at most this often per token (an embedded badge is fetched a lot).</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Creates a token for the account; null when the account does not exist.</summary>
    public CreatedShareToken? Create(string accountKey, string label, bool includeRecent, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO share_tokens (account_id, token_hash, hint, label, include_recent, created_at)
            SELECT a.id, $hash, $hint, $label, $recent, $now FROM accounts a WHERE a.account_key = $key
            RETURNING id;
            """;
        command.Parameters.AddWithValue("$hash", Hash(token));
        command.Parameters.AddWithValue("$hint", token[^4..]);
        command.Parameters.AddWithValue("$label", label);
        command.Parameters.AddWithValue("$recent", includeRecent ? 1 : 0);
        command.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
        command.Parameters.AddWithValue("$key", accountKey);
        if (command.ExecuteScalar() is not long id)
        {
            return null;
        }

        return new CreatedShareToken(Get(connection, "t.id = $id", ("$id", id))!, token);
    }

    /// <summary>The account's tokens, newest first.</summary>
    public IReadOnlyList<StoredShareToken> List(string accountKey)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Select + " WHERE a.account_key = $key ORDER BY t.created_at DESC, t.id DESC;";
        command.Parameters.AddWithValue("$key", accountKey);
        return Read(command);
    }

    /// <summary>Revokes one of the account's tokens; false when it has none with that id.</summary>
    public bool Delete(string accountKey, long id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM share_tokens WHERE id = $id AND account_id = (SELECT id FROM accounts WHERE account_key = $key);";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$key", accountKey);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// The token with this text, or null (unknown, revoked, malformed); records the use in <c>last_used_at</c>
    /// (at most once per <see cref="LastUsedResolution"/>).
    /// </summary>
    public StoredShareToken? Find(string? token, DateTimeOffset now)
    {
        if (!IsWellFormed(token))
        {
            return null;
        }

        using var connection = database.Open();
        var found = Get(connection, "t.token_hash = $hash", ("$hash", Hash(token!)));
        if (found is null)
        {
            return null;
        }

        if (found.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            try
            {
                using var touch = connection.CreateCommand();
                touch.CommandText = "UPDATE share_tokens SET last_used_at = $now WHERE id = $id;";
                touch.Parameters.AddWithValue("$now", UnixTime.ToMs(now));
                touch.Parameters.AddWithValue("$id", found.Id);
                touch.ExecuteNonQuery();
                found = found with { LastUsedAt = UnixTime.FromMs(UnixTime.ToMs(now)) };
            }
            catch (SqliteException exception) when (SqliteDatabase.IsWriteOutage(exception))
            {
                // The embed still shows: its last use is recorded at a later visit, once the database takes writes.
                LogTouchFailed(logger ?? NullLogger<ShareTokenStore>.Instance, found.Id, SqliteDatabase.Describe(exception));
            }
        }

        return found;
    }

    /// <summary>Whether a token with this id still exists (a live connection checks before each delivery).</summary>
    public bool Exists(long id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM share_tokens WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>43 base64url characters: anything else cannot be a token and is not looked up.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private const string Select = """
        SELECT t.id, a.account_key, a.display_name, t.label, t.include_recent, t.hint, t.created_at, t.last_used_at
        FROM share_tokens t JOIN accounts a ON a.id = t.account_id
        """;

    private static StoredShareToken? Get(SqliteConnection connection, string where, (string Name, object Value) parameter)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Select + " WHERE " + where + ";";
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        return Read(command).SingleOrDefault();
    }

    private static List<StoredShareToken> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var tokens = new List<StoredShareToken>();
        while (reader.Read())
        {
            tokens.Add(new StoredShareToken(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt64(4) != 0,
                reader.GetString(5),
                UnixTime.FromMs(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : UnixTime.FromMs(reader.GetInt64(7))));
        }

        return tokens;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the use of share token {Id}: {Reason}")]
    private static partial void LogTouchFailed(ILogger logger, long id, string reason);
}
