using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace OrleansSpotify.Host.Tests.Fuzz;

/// <summary>
/// What a request could have written to the Host's SQLite file, in one string: every table's row count (and largest
/// rowid where it has one), and the full content of the small tables requests change (accounts, share tokens, app
/// state, grain state). <c>artist_genres</c> is left out: only the background genre fetcher writes it; so are
/// <c>spotify_calls</c> and <c>spotify_call_minutes</c>: only the quota governor writes them, counting the listeners'
/// Spotify calls whenever it hands over its silo's tally (periodically, or when anyone asks for the budget).
/// </summary>
internal sealed class DatabaseFingerprint(string databaseFile) : IDisposable
{
    private static readonly HashSet<string> Hashed = new(StringComparer.Ordinal) { "accounts", "share_tokens", "app_state", "grain_state" };

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "artist_genres", "spotify_calls", "spotify_call_minutes" };

    private readonly SqliteConnection _connection = Open(databaseFile);
    private List<(string Name, bool RowId)>? _tables;
    private long _version = -1;
    private string? _last;

    public string Take()
    {
        // PRAGMA data_version changes when another connection has committed anything to the file since this
        // connection last asked: while it stands still, so does the fingerprint, and the tables need not be read.
        var version = long.Parse(Scalar("PRAGMA data_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version == _version && _last is not null)
        {
            return _last;
        }

        _version = version;
        _last = Read();
        return _last;
    }

    public void Dispose() => _connection.Dispose();

    private string Read()
    {
        _tables ??= Tables();
        var text = new StringBuilder();
        foreach (var (name, rowId) in _tables)
        {
            text.Append(name).Append(": ").Append(Scalar($"SELECT count(*) FROM \"{name}\""));
            if (rowId)
            {
                text.Append(" max ").Append(Scalar($"SELECT max(rowid) FROM \"{name}\""));
            }

            if (Hashed.Contains(name))
            {
                text.Append(" hash ").Append(HashOf(name));
            }

            text.Append("; ");
        }

        return text.ToString();
    }

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private List<(string, bool)> Tables()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        using var reader = command.ExecuteReader();
        var tables = new List<(string, bool)>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if (!Ignored.Contains(name))
            {
                tables.Add((name, !reader.GetString(1).Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase)));
            }
        }

        return tables;
    }

    private string Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "null";
    }

    private string HashOf(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var row = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row.Append(reader.IsDBNull(i) ? "∅" : reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
            }

            rows.Add(row.ToString());
        }

        rows.Sort(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows))))[..16];
    }
}
