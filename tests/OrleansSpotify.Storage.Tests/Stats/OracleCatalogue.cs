using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// What the oracle knows of the catalogue: the ids the database gave tracks, artists and albums (read with plain
/// SQL) and their names from the generated <see cref="TrackInfo"/>s. Turns stored plays into <see cref="OraclePlay"/>s.
/// </summary>
internal sealed class OracleCatalogue
{
    private readonly Dictionary<string, int> _trackIds = [];
    private readonly Dictionary<string, int> _artistIds = [];
    private readonly Dictionary<string, int> _albumIds = [];

    public OracleCatalogue(SqliteDatabase database, IEnumerable<TrackInfo> tracks)
    {
        using (var connection = database.Open())
        {
            void Read(string sql, Dictionary<string, int> into)
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                using var rows = command.ExecuteReader();
                while (rows.Read())
                {
                    into[rows.GetString(1)] = (int)rows.GetInt64(0);
                }
            }

            Read("SELECT id, uri FROM tracks;", _trackIds);
            Read("SELECT id, coalesce(spotify_id, 'name:' || name) FROM artists;", _artistIds);
            Read("SELECT id, spotify_id FROM albums WHERE spotify_id IS NOT NULL;", _albumIds);
        }

        // Only what was stored has an id (a track nobody played is not in the database).
        var stored = tracks.Where(t => _trackIds.ContainsKey(t.Uri)).DistinctBy(t => t.Uri).ToList();
        Names = new OracleNames(
            stored.ToDictionary(t => _trackIds[t.Uri], t => new OracleName(t.SpotifyId, t.Name, t.Uri)),
            stored.SelectMany(t => t.Artists).DistinctBy(ArtistKey).ToDictionary(a => _artistIds[ArtistKey(a)], a => new OracleName(a.SpotifyId, a.Name)),
            stored.Select(t => t.Album).OfType<AlbumInfo>().Where(a => a.SpotifyId is not null).DistinctBy(a => a.SpotifyId).ToDictionary(a => _albumIds[a.SpotifyId!], a => new OracleName(a.SpotifyId, a.Name)));
    }

    public OracleNames Names { get; }

    /// <summary>The plays with their local time in the zone: time reported when the source gave one, else the duration.</summary>
    public IReadOnlyList<OraclePlay> Plays(IEnumerable<PlayRecord> records, TimeZoneInfo zone) => [.. records.Select(p =>
    {
        var at = p.PlayedAt.ToUnixTimeMilliseconds();
        var track = p.Track;
        var local = OracleTime.Local(zone, at);
        return new OraclePlay(
            at,
            local,
            DateOnly.FromDateTime(local),
            _trackIds[track.Uri],
            track.Artists.Length > 0 ? _artistIds[ArtistKey(track.Artists[0])] : 0,
            track.Album?.SpotifyId is { } album ? _albumIds[album] : 0,
            (int)(p.MsPlayed ?? track.DurationMs),
            p.MsPlayed is not null,
            track.IsLocal);
    })];

    private static string ArtistKey(ArtistInfo artist) => artist.SpotifyId ?? "name:" + artist.Name;
}
