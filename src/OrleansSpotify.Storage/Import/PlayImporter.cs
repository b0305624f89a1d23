using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Import;

/// <summary>
/// Stores imported rows through the single writer's connection (<see cref="PlayWriter"/>), one transaction per
/// <see cref="Import"/>. The rules (issue 10 "Formats"):
/// <list type="bullet">
/// <item>A music row and a polled play (recently-played) of the same track within ±60 s (extended history) or ±120 s
/// (account data, minute precision) are one play, matched one-to-one, nearest first: the polled play keeps its
/// played_at, source and context, gains the real ms_played (in <c>plays</c> and in its packed log record) and
/// remembers the row's end (<c>import_ended_at</c>), so a re-import recognises it. Different tracks never merge.</item>
/// <item>Any other row is a play of its own, identified like every play by (account, end, track): a re-import, an
/// overlapping export or a duplicate inside one export adds nothing.</item>
/// <item>Rows without a URI (account data) are matched to known tracks by <see cref="NameKey.Pair"/> of artist and
/// title; unmatched, they become name-only tracks (<c>spotify:imported:&lt;hash&gt;</c>). Artist and album names are
/// matched to known ones the same way, so an artist is never listed twice.</item>
/// <item>Episodes and audiobook chapters are tracks of their own kind: stored and listed, never in the packed log the
/// music stats read.</item>
/// </list>
/// Not thread-safe: the StorageGrain owns it next to its <see cref="PlayWriter"/> and never runs both at once.
/// </summary>
public sealed class PlayImporter : IDisposable
{
    /// <summary>How far apart an extended-history row (second precision) and a polled play of one track may end.</summary>
    public static readonly TimeSpan ExtendedWindow = TimeSpan.FromSeconds(60);

    /// <summary>How far apart an account-data row (minute precision) and a polled play of one track may end.</summary>
    public static readonly TimeSpan AccountDataWindow = TimeSpan.FromSeconds(120);

    private const string ImportedUriPrefix = "spotify:imported:";

    private readonly PlayWriter _writer;
    private readonly SqliteCommand _polledInWindow;
    private readonly SqliteCommand _mergePlay;
    private readonly SqliteCommand _playExists;
    private readonly Dictionary<(long Account, PlaySource Source), ImportedInsert> _inserts = [];
    private readonly SqliteCommand _insertLabel;
    private readonly SqliteCommand _insertExact;
    private readonly Dictionary<string, long> _labels = new(StringComparer.Ordinal);
    private readonly SqliteCommand _insertTrack;
    private readonly SqliteCommand _linkArtist;
    private readonly SqliteCommand _insertAlbum;
    private readonly SqliteCommand _newTracks;
    private readonly SqliteCommand _newArtists;
    private readonly CatalogueIndex _index = new();

    public PlayImporter(PlayWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _polledInWindow = writer.Prepare("""
            SELECT played_at, track_id, import_ended_at FROM plays
            WHERE account_id = $account AND played_at >= $from AND played_at <= $to AND source_id = 1;
            """, "$account", "$from", "$to");
        _mergePlay = writer.Prepare("""
            UPDATE plays SET ms_played = $ms, import_ended_at = $ended, details = $details, offline_at = $offline_at
            WHERE account_id = $account AND played_at = $played_at AND track_id = $track;
            """, "$ms", "$ended", "$details", "$offline_at", "$account", "$played_at", "$track");
        _playExists = writer.Prepare(
            "SELECT 1 FROM plays WHERE account_id = $account AND played_at = $played_at AND track_id = $track;",
            "$account", "$played_at", "$track");
        _insertExact = writer.Prepare("""
            INSERT INTO plays (account_id, played_at, track_id, ms_played, context_id, source_id)
            VALUES ($account, $played_at, $track, $ms, $context, $source)
            ON CONFLICT (account_id, played_at, track_id) DO NOTHING;
            """, "$account", "$played_at", "$track", "$ms", "$context", "$source");
        _insertLabel = writer.Prepare("""
            INSERT INTO play_labels (label) VALUES ($label)
            ON CONFLICT (label) DO UPDATE SET label = excluded.label
            RETURNING id;
            """, "$label");
        _insertTrack = writer.Prepare("""
            INSERT INTO tracks (uri, spotify_id, name, duration_ms, explicit, is_local, album_id, kind, collection_name)
            VALUES ($uri, $spotify_id, $name, 0, 0, $is_local, $album, $kind, $collection)
            RETURNING id;
            """, "$uri", "$spotify_id", "$name", "$is_local", "$album", "$kind", "$collection");
        _linkArtist = writer.Prepare("INSERT INTO track_artists (track_id, position, artist_id) VALUES ($track, 0, $artist) ON CONFLICT DO NOTHING;", "$track", "$artist");
        _insertAlbum = writer.Prepare("INSERT INTO albums (spotify_id, name) VALUES (NULL, $name) RETURNING id;", "$name");
        _newTracks = writer.Prepare("""
            SELECT t.id, t.uri, t.name, t.kind, ta.position, ar.name, al.id, al.name
            FROM tracks t
            LEFT JOIN track_artists ta ON ta.track_id = t.id
            LEFT JOIN artists ar ON ar.id = ta.artist_id
            LEFT JOIN albums al ON al.id = t.album_id
            WHERE t.id > $after ORDER BY t.id, ta.position;
            """, "$after");
        _newArtists = writer.Prepare("SELECT id, name, spotify_id FROM artists WHERE id > $after ORDER BY id;", "$after");
    }

    /// <summary>
    /// Stores one batch of one account's imported rows in one transaction. Throws <see cref="UnknownAccountException"/>
    /// (storing nothing) when the account does not exist; any failure stores nothing. <paramref name="beforeCommit"/>
    /// runs inside the batch's transaction with its result, right before the commit (an import job moves its progress
    /// there, so rows and progress commit together); if it throws, nothing is stored. It runs for an empty batch too.
    /// </summary>
    public ImportBatchResult Import(string accountKey, ImportFormat format, IReadOnlyList<ImportedPlay> rows, Action<SqliteTransaction, ImportBatchResult>? beforeCommit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        ArgumentNullException.ThrowIfNull(rows);
        var tally = new Tally();
        if (rows.Count == 0 && beforeCommit is null)
        {
            return tally.Result();
        }

        // Every id this batch writes comes from a row read or written in its own transaction (the account, the
        // catalogue, the sources), so the foreign keys hold by construction; SQLite checking them again costs about a
        // third of an import's time. They are off for the batch and on again afterwards, whatever happens.
        ForeignKeys(on: false);
        try
        {
            return ImportBatch(accountKey, format, rows, tally, beforeCommit);
        }
        finally
        {
            ForeignKeys(on: true);
        }
    }

    private ImportBatchResult ImportBatch(string accountKey, ImportFormat format, IReadOnlyList<ImportedPlay> rows, Tally tally, Action<SqliteTransaction, ImportBatchResult>? beforeCommit)
    {
        _writer.Database.ApplySizeLimit(_writer.Connection);
        using var transaction = _writer.Connection.BeginTransaction(deferred: false);
        try
        {
            var accountId = _writer.AccountId(accountKey, transaction);
            Refresh(transaction);
            var source = format == ImportFormat.AccountData ? PlaySource.ImportAccountData : PlaySource.ImportExtendedHistory;
            var window = (long)(format == ImportFormat.AccountData ? AccountDataWindow : ExtendedWindow).TotalMilliseconds;

            var resolved = new List<Row>(rows.Count);
            var seen = new HashSet<(long EndedAt, long Track)>();
            var logged = new List<(long PlayedAt, int TrackId, int Ms)>();
            foreach (var row in rows)
            {
                if (row.Exact is { } exact)
                {
                    WriteExact(accountId, exact, transaction, tally, logged);
                    continue;
                }

                var trackId = Resolve(row, transaction, out var skipReason, out var nameOnlyTwin);
                if (trackId is not { } track)
                {
                    tally.Skip(skipReason!);
                    continue;
                }

                var endedAt = UnixTime.ToMs(row.EndedAt);
                if (!seen.Add((endedAt, track)))
                {
                    tally.Duplicates++;
                    continue;
                }

                // A row matched by name to a real track may have been stored by an earlier import on the name-only
                // track of the same name (the real one was not known then): that play is this row, stored before.
                if (nameOnlyTwin is { } twin && PlayExists(accountId, endedAt, twin, transaction))
                {
                    tally.Duplicates++;
                    continue;
                }

                resolved.Add(new Row(row, track, endedAt, Math.Max(0, row.MsPlayed)));
            }

            var merges = MatchPolled(accountId, resolved, window, transaction, tally);
            if (!_inserts.TryGetValue((accountId, source), out var insert))
            {
                _inserts[(accountId, source)] = insert = new ImportedInsert(_writer.Connection, accountId, source);
            }

            var patches = new Dictionary<(long PlayedAt, int TrackId), (long PlayedAt, int Ms)>();
            foreach (var row in resolved)
            {
                if (row.Duplicate)
                {
                    continue;
                }

                if (merges.TryGetValue(row, out var polledAt))
                {
                    var (packed, offlineAt) = Details(row, transaction);
                    PlayWriter.Bind(_mergePlay, transaction, row.Ms, row.EndedAt, packed, offlineAt, accountId, polledAt, row.TrackId);
                    _mergePlay.ExecuteNonQuery();
                    patches[(polledAt, (int)row.TrackId)] = (polledAt, PlayLogFormat.EncodeMs(row.Ms, 0));
                    tally.Merged++;
                    continue;
                }

                var details = Details(row, transaction);
                if (!insert.Execute(transaction, row.EndedAt, row.TrackId, row.Ms, details.Packed, details.OfflineAt))
                {
                    tally.Duplicates++;
                    continue;
                }

                tally.Imported++;
                if (row.Source.Kind == ImportedKind.Track)
                {
                    logged.Add((row.EndedAt, (int)row.TrackId, PlayLogFormat.EncodeMs(row.Ms, 0)));
                }
            }

            _writer.RewriteLog(accountId, patches, transaction);
            if (logged.Count > 0)
            {
                _writer.AppendToLog(accountId, logged, transaction);
                _writer.Imported(accountId, logged.Max(r => r.PlayedAt));
            }

            var result = tally.Result();
            beforeCommit?.Invoke(transaction, result);
            transaction.Commit();
            _index.Committed();
            return result;
        }
        catch
        {
            // Ids learnt during the failed transaction may name rows that were rolled back.
            _writer.ClearCaches();
            _index.Clear();
            _labels.Clear();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var insert in _inserts.Values)
        {
            insert.Dispose();
        }

        foreach (var command in new[] { _polledInWindow, _mergePlay, _playExists, _insertExact, _insertLabel, _insertTrack, _linkArtist, _insertAlbum, _newTracks, _newArtists })
        {
            command.Dispose();
        }
    }

    /// <summary><c>PRAGMA foreign_keys</c> on the writer's connection (outside a transaction: inside one it is a no-op).</summary>
    private void ForeignKeys(bool on)
    {
        using var command = _writer.Connection.CreateCommand();
        command.CommandText = on ? "PRAGMA foreign_keys = ON;" : "PRAGMA foreign_keys = OFF;";
        command.ExecuteNonQuery();
    }

    /// <summary>Our own format: the play exactly as it was stored (its time, source, context and catalogue).</summary>
    private void WriteExact(long accountId, PlayRecord exact, SqliteTransaction transaction, Tally tally, List<(long, int, int)> logged)
    {
        var trackId = _writer.TrackId(exact.Track, transaction);
        long? contextId = string.IsNullOrEmpty(exact.ContextUri) ? null : _writer.ContextId(exact.ContextUri, exact.ContextType, transaction);
        var playedAt = UnixTime.ToMs(exact.PlayedAt);
        PlayWriter.Bind(_insertExact, transaction, accountId, playedAt, trackId, exact.MsPlayed, contextId, (int)exact.Source);
        if (_insertExact.ExecuteNonQuery() == 0)
        {
            tally.Duplicates++;
            return;
        }

        tally.Imported++;
        logged.Add((playedAt, (int)trackId, PlayLogFormat.EncodeMs(exact.MsPlayed, exact.Track.DurationMs)));
    }

    /// <summary>
    /// Finds, for the batch's music rows, the polled plays of the same track within the window; rows already merged
    /// into a polled play by an earlier import are marked duplicates. Pairs are taken nearest first, one-to-one.
    /// </summary>
    private Dictionary<Row, long> MatchPolled(long accountId, List<Row> rows, long window, SqliteTransaction transaction, Tally tally)
    {
        var merges = new Dictionary<Row, long>(ReferenceEqualityComparer.Instance);
        var music = rows.Where(r => r.Source.Kind == ImportedKind.Track).OrderBy(r => r.EndedAt).ToList();
        if (music.Count == 0)
        {
            return merges;
        }

        // One range read per run of rows (a gap of more than a day starts another): exports are in time order, so a
        // batch is usually one short range; the polled plays in it are few.
        var polled = new Dictionary<long, List<Polled>>();
        var start = 0;
        for (var i = 1; i <= music.Count; i++)
        {
            if (i < music.Count && music[i].EndedAt - music[i - 1].EndedAt <= 86_400_000)
            {
                continue;
            }

            PlayWriter.Bind(_polledInWindow, transaction, accountId, music[start].EndedAt - window, music[i - 1].EndedAt + window);
            using (var reader = _polledInWindow.ExecuteReader())
            {
                while (reader.Read())
                {
                    var track = reader.GetInt64(1);
                    if (!polled.TryGetValue(track, out var list))
                    {
                        polled[track] = list = [];
                    }

                    list.Add(new Polled(reader.GetInt64(0), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
                }
            }

            start = i;
        }

        if (polled.Count == 0)
        {
            return merges;
        }

        var pairs = new List<(long Distance, int Order, Row Row, Polled Play)>();
        for (var order = 0; order < music.Count; order++)
        {
            var row = music[order];
            if (!polled.TryGetValue(row.TrackId, out var candidates))
            {
                continue;
            }

            if (candidates.Any(c => c.ImportEndedAt == row.EndedAt))
            {
                row.Duplicate = true;
                tally.Duplicates++;
                continue;
            }

            foreach (var candidate in candidates)
            {
                var distance = Math.Abs(candidate.PlayedAt - row.EndedAt);
                if (candidate.ImportEndedAt is null && distance <= window)
                {
                    pairs.Add((distance, order, row, candidate));
                }
            }
        }

        foreach (var (_, _, row, play) in pairs.OrderBy(p => p.Distance).ThenBy(p => p.Order))
        {
            if (!play.Taken && !merges.ContainsKey(row))
            {
                play.Taken = true;
                merges[row] = play.PlayedAt;
            }
        }

        return merges;
    }

    /// <summary>
    /// The row's listening details as <c>plays.details</c> (flags in bits 0-7, then the play_labels ids of reason_start,
    /// reason_end and platform in 16 bits each; an id beyond 16 bits is left out) and <c>offline_at</c>; null without details.
    /// </summary>
    private (long? Packed, long? OfflineAt) Details(Row row, SqliteTransaction transaction)
    {
        if (row.Source.Details is not { } d)
        {
            return default;
        }

        long flags = Flag(d.Shuffle, 0) | Flag(d.Skipped, 2) | Flag(d.Offline, 4) | Flag(d.Incognito, 6);
        var packed = flags | (Id(d.ReasonStart) << 8) | (Id(d.ReasonEnd) << 24) | (Id(d.Platform) << 40);
        return (packed, d.OfflineAt is { } at ? UnixTime.ToMs(at) : null);

        static int Flag(bool? value, int shift) => value is { } v ? (1 | (v ? 2 : 0)) << shift : 0;

        long Id(string? label) => Label(label, transaction) is { } id and <= 0xFFFF ? id : 0;
    }

    private long? Label(string? label, SqliteTransaction transaction)
    {
        if (string.IsNullOrEmpty(label))
        {
            return null;
        }

        if (!_labels.TryGetValue(label, out var id))
        {
            PlayWriter.Bind(_insertLabel, transaction, label);
            _labels[label] = id = (long)_insertLabel.ExecuteScalar()!;
        }

        return id;
    }

    /// <summary>The track a row is a play of, created when unknown; null (with the reason) when the row names none.</summary>
    private long? Resolve(ImportedPlay row, SqliteTransaction transaction, out string? skipReason, out long? nameOnlyTwin)
    {
        skipReason = null;
        nameOnlyTwin = null;
        var name = string.IsNullOrWhiteSpace(row.Name) ? null : row.Name.Trim();
        if (row.Kind != ImportedKind.Track)
        {
            var kindName = row.Kind == ImportedKind.Episode ? "episode" : "audiobook";
            if (row.Uri is null && name is null)
            {
                skipReason = $"no {kindName} name";
                return null;
            }

            var uri = row.Uri ?? ImportedUriPrefix + kindName + ":" + Hash(NameKey.Pair(row.CollectionName ?? row.ArtistName, name));
            return FindTrack(uri) ?? CreateTrack(uri, null, name ?? uri, false, null, null, row.Kind, row.CollectionName ?? row.ArtistName, transaction);
        }

        var artist = string.IsNullOrWhiteSpace(row.ArtistName) ? null : row.ArtistName.Trim();
        if (row.Uri is { } trackUri && (trackUri.StartsWith("spotify:track:", StringComparison.Ordinal) || trackUri.StartsWith("spotify:local:", StringComparison.Ordinal)))
        {
            if (FindTrack(trackUri) is { } known)
            {
                return known;
            }

            if (name is null)
            {
                skipReason = "no track name";
                return null;
            }

            var local = trackUri.StartsWith("spotify:local:", StringComparison.Ordinal);
            var created = CreateTrack(trackUri, local ? null : trackUri["spotify:track:".Length..], name, local, artist, local ? null : row.CollectionName, ImportedKind.Track, row.CollectionName, transaction);
            _index.AddTrack(_index.Pair(artist, name), created, real: true);
            return created;
        }

        if (name is null)
        {
            skipReason = "no track name";
            return null;
        }

        var key = _index.Pair(artist, name);
        var nameOnly = ImportedUriPrefix + Hash(key);
        if (_index.Track(key) is { } matched)
        {
            nameOnlyTwin = FindTrack(nameOnly) is { } twin && twin != matched ? twin : null;
            return matched;
        }

        var id = FindTrack(nameOnly) ?? CreateTrack(nameOnly, null, name, false, artist, row.CollectionName, ImportedKind.Track, row.CollectionName, transaction);
        _index.AddTrack(key, id, real: false);
        return id;
    }

    /// <summary>Whether the account has a play of the track ending at <paramref name="playedAt"/>.</summary>
    private bool PlayExists(long accountId, long playedAt, long trackId, SqliteTransaction transaction)
    {
        PlayWriter.Bind(_playExists, transaction, accountId, playedAt, trackId);
        return _playExists.ExecuteScalar() is not null;
    }

    /// <summary>The track with this URI: the index holds every stored track (<see cref="Refresh"/> runs first in every batch).</summary>
    private long? FindTrack(string uri) => _index.TrackByUri(uri);

    private long CreateTrack(string uri, string? spotifyId, string name, bool isLocal, string? artist, string? albumName, ImportedKind kind, string? collection, SqliteTransaction transaction)
    {
        long? albumId = null;
        if (albumName is not null && artist is not null && !string.IsNullOrWhiteSpace(albumName))
        {
            var albumKey = _index.Pair(artist, albumName);
            albumId = _index.Album(albumKey);
            if (albumId is null)
            {
                PlayWriter.Bind(_insertAlbum, transaction, albumName.Trim());
                albumId = (long)_insertAlbum.ExecuteScalar()!;
                _index.AddAlbum(albumKey, albumId.Value);
            }
        }

        PlayWriter.Bind(_insertTrack, transaction, uri, spotifyId, name, isLocal ? 1 : 0, albumId, (int)kind, albumId is null ? collection : null);
        var id = (long)_insertTrack.ExecuteScalar()!;
        _index.AddUri(uri, id);
        if (artist is not null)
        {
            var artistKey = _index.Key(artist);
            var artistId = _index.Artist(artistKey) ?? _writer.ArtistId(new ArtistInfo(null, artist), transaction);
            _index.AddArtist(artistKey, artistId, hasSpotifyId: false);
            PlayWriter.Bind(_linkArtist, transaction, id, artistId);
            _linkArtist.ExecuteNonQuery();
        }

        return id;
    }

    /// <summary>Learns the tracks and artists stored since the last look (by polling, or before this importer existed).</summary>
    private void Refresh(SqliteTransaction transaction)
    {
        PlayWriter.Bind(_newArtists, transaction, _index.SeenArtist);
        using (var reader = _newArtists.ExecuteReader())
        {
            while (reader.Read())
            {
                _index.AddArtist(NameKey.Normalise(reader.GetString(1)), reader.GetInt64(0), hasSpotifyId: !reader.IsDBNull(2));
            }
        }

        PlayWriter.Bind(_newTracks, transaction, _index.SeenTrack);
        using (var reader = _newTracks.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                var uri = reader.GetString(1);
                _index.AddUri(uri, id);
                if (reader.GetInt64(3) != (int)ImportedKind.Track || reader.IsDBNull(5))
                {
                    continue;
                }

                var artist = reader.GetString(5);
                _index.AddTrack(NameKey.Pair(artist, reader.GetString(2)), id, real: !uri.StartsWith(ImportedUriPrefix, StringComparison.Ordinal));
                if (reader.GetInt64(4) == 0 && !reader.IsDBNull(6))
                {
                    _index.AddAlbum(NameKey.Pair(artist, reader.GetString(7)), reader.GetInt64(6));
                }
            }
        }
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));

    /// <summary>
    /// The hot statement of an import (a million executions): the account and source are literals of the prepared
    /// text and the five values are typed parameters set directly, so each row binds as little as it can.
    /// </summary>
    private sealed class ImportedInsert : IDisposable
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _playedAt;
        private readonly SqliteParameter _track;
        private readonly SqliteParameter _ms;
        private readonly SqliteParameter _details;
        private readonly SqliteParameter _offlineAt;

        public ImportedInsert(SqliteConnection connection, long accountId, PlaySource source)
        {
            _command = connection.CreateCommand();
            _command.CommandText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"""
                INSERT INTO plays (account_id, played_at, track_id, ms_played, source_id, details, offline_at)
                VALUES ({accountId}, $played_at, $track, $ms, {(int)source}, $details, $offline_at)
                ON CONFLICT (account_id, played_at, track_id) DO NOTHING;
                """);
            _playedAt = _command.Parameters.Add("$played_at", SqliteType.Integer);
            _track = _command.Parameters.Add("$track", SqliteType.Integer);
            _ms = _command.Parameters.Add("$ms", SqliteType.Integer);
            _details = _command.Parameters.Add("$details", SqliteType.Integer);
            _offlineAt = _command.Parameters.Add("$offline_at", SqliteType.Integer);
        }

        /// <summary>True when the play was new.</summary>
        public bool Execute(SqliteTransaction transaction, long playedAt, long track, long ms, long? details, long? offlineAt)
        {
            _command.Transaction = transaction;
            _playedAt.Value = playedAt;
            _track.Value = track;
            _ms.Value = ms;
            _details.Value = details is { } d ? d : DBNull.Value;
            _offlineAt.Value = offlineAt is { } o ? o : DBNull.Value;
            return _command.ExecuteNonQuery() == 1;
        }

        public void Dispose() => _command.Dispose();
    }

    private sealed class Row(ImportedPlay source, long trackId, long endedAt, long ms)
    {
        public ImportedPlay Source { get; } = source;

        public long TrackId { get; } = trackId;

        public long EndedAt { get; } = endedAt;

        public long Ms { get; } = ms;

        public bool Duplicate { get; set; }
    }

    private sealed class Polled(long playedAt, long? importEndedAt)
    {
        public long PlayedAt { get; } = playedAt;

        public long? ImportEndedAt { get; } = importEndedAt;

        public bool Taken { get; set; }
    }

    private sealed class Tally
    {
        private readonly Dictionary<string, int> _skipped = new(StringComparer.Ordinal);

        public int Imported { get; set; }

        public int Merged { get; set; }

        public int Duplicates { get; set; }

        public void Skip(string reason) => _skipped[reason] = _skipped.GetValueOrDefault(reason) + 1;

        public ImportBatchResult Result() => new(Imported, Merged, Duplicates, _skipped.ToImmutableDictionary(StringComparer.Ordinal));
    }
}
