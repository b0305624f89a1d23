using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage;

public sealed record StoredArtist(string? SpotifyId, string Name);

public sealed record StoredTrack(
    string Uri,
    string? SpotifyId,
    string Name,
    long DurationMs,
    bool IsLocal,
    IReadOnlyList<StoredArtist> Artists,
    string? AlbumSpotifyId,
    string? AlbumName,
    string? AlbumImageUrl);

/// <summary>A stored play. <see cref="MsPlayed"/> is null when the source did not report it.</summary>
public sealed record StoredPlay(
    DateTimeOffset PlayedAt,
    StoredTrack Track,
    long? MsPlayed,
    string? ContextUri,
    string? ContextType,
    PlaySource Source);

/// <summary>A page of plays, newest first, for one account.</summary>
/// <param name="Plays">At most the requested number of plays.</param>
/// <param name="NextBefore">Pass as <c>before</c> to read the next (older) page; null when this page is the last.</param>
public sealed record PlayPage(IReadOnlyList<StoredPlay> Plays, DateTimeOffset? NextBefore);

/// <summary>A play in the household's feed: whose it is, and the play.</summary>
public sealed record HouseholdPlay(string AccountKey, string DisplayName, StoredPlay Play);

/// <summary>Read-side queries over plays.</summary>
public sealed class PlayQueries(SqliteDatabase database)
{
    /// <summary>The longest text <c>q</c> may be (a search box, not a query language).</summary>
    public const int MaxSearchLength = 200;

    /// <summary>
    /// Plays of one account with <paramref name="from"/> &lt;= played_at &lt; <paramref name="to"/> and
    /// played_at &lt; <paramref name="before"/> (keyset paging), newest first. Null when the account does not exist.
    /// With <paramref name="search"/>, only plays whose track name, any artist name or album name contains it
    /// (case-insensitive); paging is the same.
    /// </summary>
    public PlayPage? GetPlays(string accountKey, DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset? before, int limit, string? search = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var connection = database.Open();
        var accountId = FindAccountId(connection, accountKey);
        if (accountId is null)
        {
            return null;
        }

        var upper = Math.Min(to is { } t ? UnixTime.ToMs(t) : long.MaxValue, before is { } b ? UnixTime.ToMs(b) : long.MaxValue);
        var lower = from is { } f ? UnixTime.ToMs(f) : long.MinValue;
        var rows = ReadPlays(connection, accountId.Value, lower, upper, limit + 1, search);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var plays = WithArtists(connection, rows);
        return new PlayPage(plays, hasMore ? plays[^1].PlayedAt : null);
    }

    /// <summary>
    /// The latest plays across the household, newest first. A member who keeps their stats private appears only
    /// when they are the <paramref name="viewer"/>.
    /// </summary>
    public IReadOnlyList<HouseholdPlay> GetHouseholdPlays(string? viewer, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var connection = database.Open();
        var members = new List<(long Id, string Key, string Name)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, account_key, display_name FROM accounts WHERE share_stats <> 0 OR account_key = $viewer;";
            command.Parameters.AddWithValue("$viewer", (object?)viewer ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                members.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        // Each member's newest plays are one seek on the (account, played_at) key; the merge happens here, so the
        // feed never sorts the whole plays table.
        var rows = members
            .SelectMany(m => ReadPlays(connection, m.Id, long.MinValue, long.MaxValue, limit, null).Select(r => (Member: m, Row: r)))
            .OrderByDescending(x => x.Row.Play.PlayedAt)
            .ThenBy(x => x.Member.Key, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        var plays = WithArtists(connection, [.. rows.Select(x => x.Row)]);
        return [.. rows.Select((x, i) => new HouseholdPlay(x.Member.Key, x.Member.Name, plays[i]))];
    }

    /// <summary>The end time of the account's latest recorded play; null when it has none (or does not exist).</summary>
    public DateTimeOffset? LatestPlayedAt(string accountKey)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.played_at FROM plays p
            WHERE p.account_id = (SELECT id FROM accounts WHERE account_key = $key)
            ORDER BY p.played_at DESC LIMIT 1;
            """;
        command.Parameters.AddWithValue("$key", accountKey);
        return command.ExecuteScalar() is long ms ? UnixTime.FromMs(ms) : null;
    }

    /// <summary>
    /// Up to <paramref name="count"/> plays of one account in [lower, upper), newest first, without their artists.
    /// A search first finds the matching tracks (the catalogue is far smaller than the plays), then walks the
    /// account's plays newest first keeping those.
    /// </summary>
    private static List<(long TrackId, StoredPlay Play)> ReadPlays(SqliteConnection connection, long accountId, long lower, long upper, int count, string? search)
    {
        using var command = connection.CreateCommand();
        var filter = "";
        if (!string.IsNullOrEmpty(search))
        {
            // SQLite's LIKE folds ASCII only; this folds any script, and instr needs no escaping of % and _.
            connection.CreateFunction("os_contains", (string? text, string needle) => text is not null && text.Contains(needle, StringComparison.OrdinalIgnoreCase), isDeterministic: true);
            filter = """
                AND p.track_id IN (
                    SELECT mt.id FROM tracks mt LEFT JOIN albums mal ON mal.id = mt.album_id
                    WHERE os_contains(mt.name, $q) OR os_contains(mal.name, $q)
                    UNION
                    SELECT ta.track_id FROM track_artists ta JOIN artists ar ON ar.id = ta.artist_id
                    WHERE os_contains(ar.name, $q))
                """;
            command.Parameters.AddWithValue("$q", search);
        }

        command.CommandText = $"""
            SELECT p.played_at, p.ms_played, p.source_id, c.uri, c.type,
                   t.id, t.uri, t.spotify_id, t.name, t.duration_ms, t.is_local,
                   al.spotify_id, coalesce(al.name, t.collection_name), al.image_url
            FROM plays p
            JOIN tracks t ON t.id = p.track_id
            LEFT JOIN albums al ON al.id = t.album_id
            LEFT JOIN contexts c ON c.id = p.context_id
            WHERE p.account_id = $account AND p.played_at >= $from AND p.played_at < $upper {filter}
            ORDER BY p.played_at DESC, p.track_id DESC
            LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$from", lower);
        command.Parameters.AddWithValue("$upper", upper);
        command.Parameters.AddWithValue("$limit", count);

        var rows = new List<(long TrackId, StoredPlay Play)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var track = new StoredTrack(
                reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8),
                reader.GetInt64(9),
                reader.GetInt64(10) != 0,
                [],
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetString(13));
            rows.Add((reader.GetInt64(5), new StoredPlay(
                UnixTime.FromMs(reader.GetInt64(0)),
                track,
                reader.IsDBNull(1) ? null : reader.GetInt64(1),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                (PlaySource)reader.GetInt64(2))));
        }

        return rows;
    }

    private static List<StoredPlay> WithArtists(SqliteConnection connection, List<(long TrackId, StoredPlay Play)> rows)
    {
        var artists = ArtistsOf(connection, rows.Select(r => r.TrackId).Distinct().ToList());
        return [.. rows.Select(r => r.Play with { Track = r.Play.Track with { Artists = artists.GetValueOrDefault(r.TrackId) ?? [] } })];
    }

    /// <summary>
    /// Episodes and audiobook chapters of one account with <paramref name="from"/> &lt;= played_at &lt; <paramref name="to"/>:
    /// their counts, listening time and the most played shows (at most <paramref name="limit"/>). Null for an unknown account.
    /// </summary>
    public PodcastStats? GetListeningBeyondMusic(string accountKey, DateTimeOffset? from, DateTimeOffset? to, int limit = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var connection = database.Open();
        if (FindAccountId(connection, accountKey) is not { } accountId)
        {
            return null;
        }

        const string Collection = "coalesce(al.name, t.collection_name, '')";
        const string Range = "p.account_id = $account AND p.played_at >= $from AND p.played_at < $to AND t.kind <> 0";
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$from", from is { } f ? UnixTime.ToMs(f) : long.MinValue);
        command.Parameters.AddWithValue("$to", to is { } t ? UnixTime.ToMs(t) : long.MaxValue);
        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = $"""
            SELECT t.kind, count(*), coalesce(sum(p.ms_played), 0), count(DISTINCT {Collection})
            FROM plays p JOIN tracks t ON t.id = p.track_id LEFT JOIN albums al ON al.id = t.album_id
            WHERE {Range} GROUP BY t.kind;
            """;
        var kinds = new Dictionary<long, KindSummary>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                kinds[reader.GetInt64(0)] = new KindSummary(reader.GetInt64(1), reader.GetInt64(2), (int)reader.GetInt64(3));
            }
        }

        command.CommandText = $"""
            SELECT {Collection} AS show, count(*) AS plays, coalesce(sum(p.ms_played), 0) AS ms
            FROM plays p JOIN tracks t ON t.id = p.track_id LEFT JOIN albums al ON al.id = t.album_id
            WHERE {Range} AND t.kind = 1 GROUP BY show ORDER BY plays DESC, ms DESC, show LIMIT $limit;
            """;
        var shows = new List<ShowSummary>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                shows.Add(new ShowSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        var none = new KindSummary(0, 0, 0);
        return new PodcastStats(kinds.GetValueOrDefault(1, none), kinds.GetValueOrDefault(2, none), shows);
    }

    /// <summary>How many plays an account has (0 for an unknown account).</summary>
    public long CountPlays(string accountKey)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM plays p JOIN accounts a ON a.id = p.account_id WHERE a.account_key = $key;";
        command.Parameters.AddWithValue("$key", accountKey);
        return (long)command.ExecuteScalar()!;
    }

    private static long? FindAccountId(SqliteConnection connection, string accountKey)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM accounts WHERE account_key = $key;";
        command.Parameters.AddWithValue("$key", accountKey);
        return command.ExecuteScalar() as long?;
    }

    private static Dictionary<long, List<StoredArtist>> ArtistsOf(SqliteConnection connection, List<long> trackIds)
    {
        var result = new Dictionary<long, List<StoredArtist>>();
        if (trackIds.Count == 0)
        {
            return result;
        }

        using var command = connection.CreateCommand();
        var names = new List<string>(trackIds.Count);
        for (var i = 0; i < trackIds.Count; i++)
        {
            names.Add("$t" + i);
            command.Parameters.AddWithValue("$t" + i, trackIds[i]);
        }

        command.CommandText = $"""
            SELECT ta.track_id, ar.spotify_id, ar.name
            FROM track_artists ta JOIN artists ar ON ar.id = ta.artist_id
            WHERE ta.track_id IN ({string.Join(", ", names)})
            ORDER BY ta.track_id, ta.position;
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var trackId = reader.GetInt64(0);
            if (!result.TryGetValue(trackId, out var list))
            {
                result[trackId] = list = [];
            }

            list.Add(new StoredArtist(reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        }

        return result;
    }
}
