using System.Globalization;

namespace OrleansSpotify.Storage.Quota;

/// <summary>Calls sent in one minute for one account, endpoint and outcome; <paramref name="CountsAgainstQuota"/> false for the token endpoint.</summary>
public sealed record SpotifyCallTally(DateTimeOffset Minute, string AccountKey, string Endpoint, string Outcome, int Count, bool CountsAgainstQuota);

/// <summary>One row of the usage: calls of one UTC day, account, endpoint and outcome.</summary>
public sealed record SpotifyCallDayRow(DateOnly Day, string AccountKey, string Endpoint, string Outcome, long Count);

/// <summary>
/// The quota governor's counts (tables <c>spotify_calls</c>, per day, and <c>spotify_call_minutes</c>, the Web API calls
/// per minute the rolling window is rebuilt from). Written by the governor alone.
/// </summary>
public sealed class SpotifyCallStore(SqliteDatabase database)
{
    /// <summary>How long per-minute rows are kept: more than any budget window (at most 7 days) needs.</summary>
    public static readonly TimeSpan MinuteRetention = TimeSpan.FromDays(8);

    /// <summary>Adds the tallies to both tables in one transaction and drops minute rows older than <see cref="MinuteRetention"/>.</summary>
    public void Add(IReadOnlyCollection<SpotifyCallTally> tallies, DateTimeOffset now)
    {
        if (tallies.Count == 0)
        {
            return;
        }

        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using (var day = connection.CreateCommand())
        using (var minute = connection.CreateCommand())
        {
            day.Transaction = transaction;
            day.CommandText = """
                INSERT INTO spotify_calls (day, account_key, endpoint, outcome, count) VALUES ($day, $account, $endpoint, $outcome, $count)
                ON CONFLICT (day, account_key, endpoint, outcome) DO UPDATE SET count = count + excluded.count;
                """;
            var dayValue = day.Parameters.Add("$day", Microsoft.Data.Sqlite.SqliteType.Text);
            var account = day.Parameters.Add("$account", Microsoft.Data.Sqlite.SqliteType.Text);
            var endpoint = day.Parameters.Add("$endpoint", Microsoft.Data.Sqlite.SqliteType.Text);
            var outcome = day.Parameters.Add("$outcome", Microsoft.Data.Sqlite.SqliteType.Text);
            var count = day.Parameters.Add("$count", Microsoft.Data.Sqlite.SqliteType.Integer);

            minute.Transaction = transaction;
            minute.CommandText = """
                INSERT INTO spotify_call_minutes (minute, calls) VALUES ($minute, $calls)
                ON CONFLICT (minute) DO UPDATE SET calls = calls + excluded.calls;
                """;
            var minuteValue = minute.Parameters.Add("$minute", Microsoft.Data.Sqlite.SqliteType.Integer);
            var calls = minute.Parameters.Add("$calls", Microsoft.Data.Sqlite.SqliteType.Integer);

            foreach (var tally in tallies)
            {
                dayValue.Value = FormatDay(DateOnly.FromDateTime(tally.Minute.UtcDateTime));
                account.Value = tally.AccountKey;
                endpoint.Value = tally.Endpoint;
                outcome.Value = tally.Outcome;
                count.Value = tally.Count;
                day.ExecuteNonQuery();

                if (tally.CountsAgainstQuota)
                {
                    minuteValue.Value = UnixTime.ToMs(tally.Minute);
                    calls.Value = tally.Count;
                    minute.ExecuteNonQuery();
                }
            }
        }

        using (var prune = connection.CreateCommand())
        {
            prune.Transaction = transaction;
            prune.CommandText = "DELETE FROM spotify_call_minutes WHERE minute < $cut;";
            prune.Parameters.AddWithValue("$cut", UnixTime.ToMs(now - MinuteRetention));
            prune.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Web API calls per minute since <paramref name="since"/> (inclusive), oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset Minute, int Calls)> Minutes(DateTimeOffset since)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT minute, calls FROM spotify_call_minutes WHERE minute >= $since ORDER BY minute;";
        command.Parameters.AddWithValue("$since", UnixTime.ToMs(since));
        using var reader = command.ExecuteReader();
        var result = new List<(DateTimeOffset, int)>();
        while (reader.Read())
        {
            result.Add((UnixTime.FromMs(reader.GetInt64(0)), (int)reader.GetInt64(1)));
        }

        return result;
    }

    /// <summary>Every counted row of the UTC days <paramref name="from"/> to <paramref name="to"/> (inclusive), by day, account, endpoint, outcome.</summary>
    public IReadOnlyList<SpotifyCallDayRow> Days(DateOnly from, DateOnly to)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT day, account_key, endpoint, outcome, count FROM spotify_calls
            WHERE day >= $from AND day <= $to
            ORDER BY day, account_key, endpoint, outcome;
            """;
        command.Parameters.AddWithValue("$from", FormatDay(from));
        command.Parameters.AddWithValue("$to", FormatDay(to));
        using var reader = command.ExecuteReader();
        var result = new List<SpotifyCallDayRow>();
        while (reader.Read())
        {
            result.Add(new SpotifyCallDayRow(
                DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
        }

        return result;
    }

    private static string FormatDay(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
