using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Export;

/// <summary>A member whose plays an export carries.</summary>
public sealed record ExportAccount(string AccountKey, string DisplayName);

/// <summary>One exported play and whose it is.</summary>
public sealed record ExportedPlay(ExportAccount Account, PlayRecord Play)
{
    /// <summary>What the track is: music, a podcast episode or an audiobook chapter (<c>tracks.kind</c>).</summary>
    public ImportedKind Kind { get; init; }

    /// <summary>The album, show or audiobook title an import named, for a track without a catalogued album (<c>tracks.collection_name</c>).</summary>
    public string? Collection { get; init; }
}

/// <summary>The order an export reads plays in, per account.</summary>
public enum ExportOrder
{
    /// <summary>By <c>played_at</c> (the end of the play), oldest first: one seek and a walk of the (account, played_at) key.</summary>
    EndOfPlay,

    /// <summary>By the start of the play (<c>played_at − ms_played</c>, the track's duration standing in), oldest first: SQLite sorts (spilling to its temp files, not to this process).</summary>
    StartOfPlay,
}

/// <summary>
/// Reads every play of some accounts, account by account, forward-only: one <see cref="SqliteDataReader"/> per account,
/// each play's artists read with it (a JSON array built by SQLite), so memory does not grow with the number of plays.
/// </summary>
public sealed class PlayExport(SqliteDatabase database)
{
    /// <summary>
    /// The plays of <paramref name="accounts"/> (in the given order of accounts), each account's in <paramref name="order"/>.
    /// An account that does not exist yields nothing. The connection stays open while the caller enumerates.
    /// </summary>
    public IEnumerable<ExportedPlay> Read(IReadOnlyList<ExportAccount> accounts, ExportOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        return ReadCore(accounts, order, cancellationToken);
    }

    private IEnumerable<ExportedPlay> ReadCore(IReadOnlyList<ExportAccount> accounts, ExportOrder order, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var orderBy = order == ExportOrder.StartOfPlay
            ? "p.played_at - coalesce(p.ms_played, t.duration_ms), p.played_at, p.track_id"
            : "p.played_at, p.track_id";
        command.CommandText = $"""
            SELECT p.played_at, p.ms_played, p.source_id, c.uri, c.type,
                   t.uri, t.spotify_id, t.name, t.duration_ms, t.explicit, t.is_local, t.isrc,
                   al.spotify_id, al.name, al.album_type, al.release_date, al.image_url,
                   (SELECT json_group_array(json_array(ar.spotify_id, ar.name))
                    FROM (SELECT ta.artist_id FROM track_artists ta WHERE ta.track_id = t.id ORDER BY ta.position) o
                    JOIN artists ar ON ar.id = o.artist_id),
                   t.kind, t.collection_name
            FROM plays p
            JOIN tracks t ON t.id = p.track_id
            LEFT JOIN albums al ON al.id = t.album_id
            LEFT JOIN contexts c ON c.id = p.context_id
            WHERE p.account_id = (SELECT id FROM accounts WHERE account_key = $key)
            ORDER BY {orderBy};
            """;
        var key = command.Parameters.Add("$key", SqliteType.Text);
        foreach (var account in accounts)
        {
            key.Value = account.AccountKey;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new ExportedPlay(account, ReadPlay(reader)) { Kind = (ImportedKind)reader.GetInt64(18), Collection = Text(reader, 19) };
            }
        }
    }

    private static PlayRecord ReadPlay(SqliteDataReader reader)
    {
        AlbumInfo? album = reader.IsDBNull(13) ? null : new AlbumInfo(
            Text(reader, 12), reader.GetString(13), Text(reader, 14), Text(reader, 15), Text(reader, 16));
        var track = new TrackInfo(
            reader.GetString(5),
            Text(reader, 6),
            reader.GetString(7),
            reader.GetInt64(8),
            reader.GetInt64(9) != 0,
            reader.GetInt64(10) != 0,
            Text(reader, 11),
            album,
            Artists(reader.IsDBNull(17) ? "[]" : reader.GetString(17)));
        return new PlayRecord(
            UnixTime.FromMs(reader.GetInt64(0)),
            track,
            reader.IsDBNull(1) ? null : reader.GetInt64(1),
            Text(reader, 3),
            Text(reader, 4),
            (PlaySource)reader.GetInt64(2));
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Parses <c>[[id, name], …]</c> as built by the query (a track has a handful of artists).</summary>
    private static ImmutableArray<ArtistInfo> Artists(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        var artists = ImmutableArray.CreateBuilder<ArtistInfo>();
        reader.Read(); // [
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var id = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            reader.Read();
            var name = reader.GetString() ?? "";
            reader.Read(); // ]
            artists.Add(new ArtistInfo(id, name));
        }

        return artists.ToImmutable();
    }
}
