using System.Collections.Immutable;
using System.Runtime.InteropServices;
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

    /// <summary>The WAL size (pages; 32 MB of 4 KB pages) at which an import batch's commit checkpoints.</summary>
    private const int ImportCheckpointPages = 8192;

    private readonly PlayWriter _writer;
    private readonly SqliteCommand _polledInWindow;
    private readonly SqliteCommand _storedInRange;
    private readonly HashSet<(long PlayedAt, long Track)> _stored = [];
    private readonly List<long> _ends = [];
    private readonly SqliteCommand _mergePlay;
    private readonly SqliteCommand _playExists;
    private readonly Dictionary<(long Account, PlaySource Source), ImportedInsert> _inserts = [];
    private readonly SqliteCommand _insertLabel;
    private readonly RawStatement _insertExact;
    private readonly Dictionary<string, long> _labels = new(StringComparer.Ordinal);
    private readonly RawStatement _insertTrack;
    private readonly SqliteCommand _linkArtist;
    private readonly SqliteCommand _insertAlbum;
    private readonly SqliteCommand _newTracks;
    private readonly SqliteCommand _newArtists;
    private readonly SqliteCommand _catalogueExact;
    private readonly HashSet<long> _exactTracks = [];
    private readonly CatalogueIndex _index = new();
    private readonly long _checkpointPages;
    private readonly List<Row> _resolved = [];
    private readonly HashSet<(long EndedAt, long Track)> _seen = [];
    private readonly List<(long PlayedAt, int TrackId, int Ms)> _logged = [];
    private readonly List<int> _music = [];

    public PlayImporter(PlayWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        using (var pragma = writer.Connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA wal_autocheckpoint;";
            _checkpointPages = (long)pragma.ExecuteScalar()!;
        }

        _polledInWindow = writer.Prepare("""
            SELECT played_at, track_id, import_ended_at FROM plays
            WHERE account_id = $account AND played_at >= $from AND played_at <= $to AND source_id = 1;
            """, "$account", "$from", "$to");
        _storedInRange = writer.Prepare("SELECT played_at, track_id FROM plays WHERE account_id = $account AND played_at >= $from AND played_at <= $to;", "$account", "$from", "$to");
        _mergePlay = writer.Prepare("""
            UPDATE plays SET ms_played = $ms, import_ended_at = $ended, details = $details, offline_at = $offline_at
            WHERE account_id = $account AND played_at = $played_at AND track_id = $track;
            """, "$ms", "$ended", "$details", "$offline_at", "$account", "$played_at", "$track");
        _playExists = writer.Prepare(
            "SELECT 1 FROM plays WHERE account_id = $account AND played_at = $played_at AND track_id = $track;",
            "$account", "$played_at", "$track");
        _insertExact = new RawStatement(writer.Connection, """
            INSERT INTO plays (account_id, played_at, track_id, ms_played, context_id, source_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (account_id, played_at, track_id) DO NOTHING;
            """);
        _insertLabel = writer.Prepare("""
            INSERT INTO play_labels (label) VALUES ($label)
            ON CONFLICT (label) DO UPDATE SET label = excluded.label
            RETURNING id;
            """, "$label");
        _insertTrack = new RawStatement(writer.Connection, """
            INSERT INTO tracks (uri, spotify_id, name, duration_ms, explicit, is_local, album_id, kind, collection_name)
            VALUES (?1, ?2, ?3, 0, 0, ?4, ?5, ?6, ?7)
            RETURNING id;
            """);
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
        _catalogueExact = writer.Prepare("""
            UPDATE tracks SET kind = $kind, collection_name = coalesce($collection, collection_name), album_id = coalesce(album_id, $album)
            WHERE id = $id;
            """, "$kind", "$collection", "$album", "$id");
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
        // The batch's commit also leaves the WAL to grow to ImportCheckpointPages before it is checkpointed: at the
        // default (1,000 pages) a million-row import checkpoints some 60 times, each with two fsyncs, and copies the
        // pages every batch rewrites (the newest plays, the open log chunk, index pages) again each time.
        ImportPragmas(importing: true);
        try
        {
            return ImportBatch(accountKey, format, rows, tally, beforeCommit);
        }
        finally
        {
            ImportPragmas(importing: false);
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

            // The batch's working lists are the importer's own, cleared and reused: a batch allocates next to nothing per row.
            var resolved = _resolved;
            var seen = _seen;
            var logged = _logged;
            resolved.Clear();
            seen.Clear();
            logged.Clear();
            foreach (var row in rows)
            {
                if (row.Exact is { } exact)
                {
                    WriteExact(accountId, row, exact, transaction, tally, logged);
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

            var merges = MatchPolled(accountId, window, transaction, tally);
            if (!_inserts.TryGetValue((accountId, source), out var insert))
            {
                _inserts[(accountId, source)] = insert = new ImportedInsert(_writer.Connection, accountId, source);
            }

            // The plays already stored at the batch's keys (a re-import, an overlapping export) are read first, so that
            // the new ones are inserted many to a statement, each known to be new.
            var stored = StoredPlays(accountId, transaction);
            insert.Begin();

            var patches = new Dictionary<(long PlayedAt, int TrackId), (long PlayedAt, int Ms)>();
            var rowsSpan = CollectionsMarshal.AsSpan(resolved);
            for (var i = 0; i < rowsSpan.Length; i++)
            {
                ref readonly var row = ref rowsSpan[i];
                if (row.Duplicate)
                {
                    continue;
                }

                if (merges is not null && merges.TryGetValue(i, out var polledAt))
                {
                    var (packed, offlineAt) = Details(row.Source, transaction);
                    PlayWriter.Bind(_mergePlay, transaction, row.Ms, row.EndedAt, packed, offlineAt, accountId, polledAt, row.TrackId);
                    _mergePlay.ExecuteNonQuery();
                    patches[(polledAt, (int)row.TrackId)] = (polledAt, PlayLogFormat.EncodeMs(row.Ms, 0));
                    tally.Merged++;
                    continue;
                }

                var details = Details(row.Source, transaction);
                if (stored.Contains((row.EndedAt, row.TrackId)))
                {
                    tally.Duplicates++;
                    continue;
                }

                insert.Add(row.EndedAt, row.TrackId, row.Ms, details.Packed, details.OfflineAt);

                tally.Imported++;
                if (row.Source.Kind == ImportedKind.Track)
                {
                    logged.Add((row.EndedAt, (int)row.TrackId, PlayLogFormat.EncodeMs(row.Ms, 0)));
                }
            }

            insert.Flush();
            _writer.RewriteLog(accountId, patches, transaction);
            if (logged.Count > 0)
            {
                _writer.AppendToLog(accountId, logged, transaction);
                var latest = long.MinValue;
                foreach (var (playedAt, _, _) in logged)
                {
                    latest = Math.Max(latest, playedAt);
                }

                _writer.Imported(accountId, latest);
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
            Forget();
            throw;
        }
    }

    /// <summary>
    /// Forgets what the importer has learnt of the catalogue (a batch rolled back, or tracks and artists were merged by
    /// the metadata enrichment): the next batch reads it afresh.
    /// </summary>
    public void Forget()
    {
        _index.Clear();
        _labels.Clear();
        _exactTracks.Clear();
    }

    public void Dispose()
    {
        foreach (var insert in _inserts.Values)
        {
            insert.Dispose();
        }

        foreach (var command in new[] { _polledInWindow, _storedInRange, _mergePlay, _insertLabel, _linkArtist, _insertAlbum, _newTracks, _newArtists, _playExists, _catalogueExact })
        {
            command.Dispose();
        }

        _insertExact.Dispose();
        _insertTrack.Dispose();
    }

    /// <summary>
    /// <c>PRAGMA foreign_keys</c> and <c>wal_autocheckpoint</c> of the writer's connection for an import batch, and back
    /// (outside a transaction: inside one foreign_keys is a no-op).
    /// </summary>
    private void ImportPragmas(bool importing)
    {
        using var command = _writer.Connection.CreateCommand();
        command.CommandText = importing
            ? $"PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = {ImportCheckpointPages};"
            : $"PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = {_checkpointPages};";
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Our own format: the play exactly as it was stored (its time, source, context and catalogue). The track's kind,
    /// its collection title and an album an import named (no Spotify id) are catalogued as the exporting service had
    /// them, so episodes stay out of the music stats and such albums are listed again.
    /// </summary>
    private void WriteExact(long accountId, ImportedPlay row, PlayRecord exact, SqliteTransaction transaction, Tally tally, List<(long, int, int)> logged)
    {
        var trackId = _writer.TrackId(exact.Track, transaction);
        if (_exactTracks.Add(trackId))
        {
            CatalogueExact(trackId, row, exact.Track, transaction);
        }

        long? contextId = string.IsNullOrEmpty(exact.ContextUri) ? null : _writer.ContextId(exact.ContextUri, exact.ContextType, transaction);
        var playedAt = UnixTime.ToMs(exact.PlayedAt);
        _insertExact.Bind(1, accountId);
        _insertExact.Bind(2, playedAt);
        _insertExact.Bind(3, trackId);
        _insertExact.Bind(4, exact.MsPlayed);
        _insertExact.Bind(5, contextId);
        _insertExact.Bind(6, (long)exact.Source);
        if (_insertExact.Execute() == 0)
        {
            tally.Duplicates++;
            return;
        }

        tally.Imported++;
        if (row.Kind == ImportedKind.Track)
        {
            logged.Add((playedAt, (int)trackId, PlayLogFormat.EncodeMs(exact.MsPlayed, exact.Track.DurationMs)));
        }
    }

    /// <summary>What <see cref="PlayWriter.TrackId"/> does not store of an exported track: its kind, collection and name-only album.</summary>
    private void CatalogueExact(long trackId, ImportedPlay row, TrackInfo track, SqliteTransaction transaction)
    {
        long? albumId = null;
        if (track.Album is { SpotifyId: null or "" } named && !string.IsNullOrWhiteSpace(named.Name))
        {
            var artist = track.Artists.IsDefaultOrEmpty ? null : track.Artists[0].Name;
            var albumKey = _index.Pair(artist, named.Name);
            albumId = _index.Album(albumKey);
            if (albumId is null)
            {
                PlayWriter.Bind(_insertAlbum, transaction, named.Name.Trim());
                albumId = (long)_insertAlbum.ExecuteScalar()!;
                _index.AddAlbum(albumKey, albumId.Value);
            }
        }

        var collection = track.Album is null ? row.CollectionName : null;
        if (row.Kind == ImportedKind.Track && albumId is null && collection is null)
        {
            return;
        }

        PlayWriter.Bind(_catalogueExact, transaction, (int)row.Kind, collection, albumId, trackId);
        _catalogueExact.ExecuteNonQuery();
    }

    /// <summary>
    /// The keys (end, track) of the plays stored in the time ranges of the batch's rows: one range read per run of rows
    /// (a gap of more than a day starts another), as for the polled plays.
    /// </summary>
    private HashSet<(long PlayedAt, long Track)> StoredPlays(long accountId, SqliteTransaction transaction)
    {
        var stored = _stored;
        var ends = _ends;
        stored.Clear();
        ends.Clear();
        var sorted = true;
        foreach (ref readonly var row in CollectionsMarshal.AsSpan(_resolved))
        {
            if (!row.Duplicate)
            {
                sorted &= ends.Count == 0 || ends[^1] <= row.EndedAt;
                ends.Add(row.EndedAt);
            }
        }

        if (!sorted)
        {
            ends.Sort();
        }

        var start = 0;
        for (var i = 1; i <= ends.Count; i++)
        {
            if (i < ends.Count && ends[i] - ends[i - 1] <= 86_400_000)
            {
                continue;
            }

            PlayWriter.Bind(_storedInRange, transaction, accountId, ends[start], ends[i - 1]);
            using (var reader = _storedInRange.ExecuteReader())
            {
                while (reader.Read())
                {
                    stored.Add((reader.GetInt64(0), reader.GetInt64(1)));
                }
            }

            start = i;
        }

        return stored;
    }

    /// <summary>
    /// Finds, for the batch's music rows, the polled plays of the same track within the window; rows already merged
    /// into a polled play by an earlier import are marked duplicates. Pairs are taken nearest first, one-to-one.
    /// Returns the polled play's played_at by the index of the row in <see cref="_resolved"/>; null when none merges.
    /// </summary>
    private Dictionary<int, long>? MatchPolled(long accountId, long window, SqliteTransaction transaction, Tally tally)
    {
        // The music rows in time order (ties in batch order): exports are in time order, so usually nothing to sort.
        var rows = CollectionsMarshal.AsSpan(_resolved);
        var music = _music;
        music.Clear();
        var sorted = true;
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Source.Kind == ImportedKind.Track)
            {
                sorted &= music.Count == 0 || rows[music[^1]].EndedAt <= rows[i].EndedAt;
                music.Add(i);
            }
        }

        if (music.Count == 0)
        {
            return null;
        }

        if (!sorted)
        {
            var resolved = _resolved;
            music.Sort((a, b) => resolved[a].EndedAt != resolved[b].EndedAt ? resolved[a].EndedAt.CompareTo(resolved[b].EndedAt) : a.CompareTo(b));
        }

        // One range read per run of rows (a gap of more than a day starts another): exports are in time order, so a
        // batch is usually one short range; the polled plays in it are few.
        Dictionary<long, List<Polled>>? polled = null;
        var start = 0;
        for (var i = 1; i <= music.Count; i++)
        {
            if (i < music.Count && rows[music[i]].EndedAt - rows[music[i - 1]].EndedAt <= 86_400_000)
            {
                continue;
            }

            PlayWriter.Bind(_polledInWindow, transaction, accountId, rows[music[start]].EndedAt - window, rows[music[i - 1]].EndedAt + window);
            using (var reader = _polledInWindow.ExecuteReader())
            {
                while (reader.Read())
                {
                    var track = reader.GetInt64(1);
                    polled ??= [];
                    if (!polled.TryGetValue(track, out var list))
                    {
                        polled[track] = list = [];
                    }

                    list.Add(new Polled(reader.GetInt64(0), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
                }
            }

            start = i;
        }

        if (polled is null)
        {
            return null;
        }

        var pairs = new List<(long Distance, int Order, int Row, Polled Play)>();
        for (var order = 0; order < music.Count; order++)
        {
            ref var row = ref rows[music[order]];
            if (!polled.TryGetValue(row.TrackId, out var candidates))
            {
                continue;
            }

            if (MergedBefore(candidates, row.EndedAt))
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
                    pairs.Add((distance, order, music[order], candidate));
                }
            }
        }

        var merges = new Dictionary<int, long>();
        foreach (var (_, _, row, play) in pairs.OrderBy(p => p.Distance).ThenBy(p => p.Order))
        {
            if (!play.Taken && !merges.ContainsKey(row))
            {
                play.Taken = true;
                merges[row] = play.PlayedAt;
            }
        }

        return merges;

        static bool MergedBefore(List<Polled> candidates, long endedAt)
        {
            foreach (var candidate in candidates)
            {
                if (candidate.ImportEndedAt == endedAt)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The row's listening details as <c>plays.details</c> (flags in bits 0-7, then the play_labels ids of reason_start,
    /// reason_end and platform in 16 bits each; an id beyond 16 bits is left out) and <c>offline_at</c>; null without details.
    /// </summary>
    private (long? Packed, long? OfflineAt) Details(ImportedPlay row, SqliteTransaction transaction)
    {
        if (row.Details is not { } d)
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

        // Most rows name a track (or episode) already known by its URI: nothing else to look at.
        if (row.Uri is { } knownUri && (row.Kind != ImportedKind.Track || IsTrackUri(knownUri)) && FindTrack(knownUri) is { } byUri)
        {
            return byUri;
        }

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
        if (row.Uri is { } trackUri && IsTrackUri(trackUri))
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

    private static bool IsTrackUri(string uri) => uri.StartsWith("spotify:track:", StringComparison.Ordinal) || uri.StartsWith("spotify:local:", StringComparison.Ordinal);

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

        _insertTrack.Bind(1, uri);
        _insertTrack.Bind(2, spotifyId);
        _insertTrack.Bind(3, name);
        _insertTrack.Bind(4, isLocal ? 1L : 0L);
        _insertTrack.Bind(5, albumId);
        _insertTrack.Bind(6, (long)kind);
        _insertTrack.Bind(7, albumId is null ? collection : null);
        var id = _insertTrack.ExecuteScalar() ?? throw new InvalidOperationException("INSERT INTO tracks returned no id.");
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
    /// The hot statement of an import (a million executions): new plays of one account and source, inserted
    /// <see cref="Chunk"/> to a statement (the account and source are literals of the prepared text, the five values of
    /// each play bound by position on SQLite's own statement, <see cref="RawStatement"/>). Every play added is known to
    /// be new (<see cref="StoredPlays"/>); a statement that inserts fewer than it was given fails the batch.
    /// </summary>
    private sealed class ImportedInsert : IDisposable
    {
        private const int Chunk = 64;

        private readonly RawStatement _one;
        private readonly RawStatement _many;
        private readonly (long PlayedAt, long Track, long Ms, long? Details, long? OfflineAt)[] _pending = new (long, long, long, long?, long?)[Chunk];
        private int _count;

        public ImportedInsert(SqliteConnection connection, long accountId, PlaySource source)
        {
            _one = new RawStatement(connection, Text(1));
            _many = new RawStatement(connection, Text(Chunk));

            string Text(int plays) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"""
                INSERT INTO plays (account_id, played_at, track_id, ms_played, source_id, details, offline_at)
                VALUES {string.Join(", ", Enumerable.Range(0, plays).Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"({accountId}, ?{(p * 5) + 1}, ?{(p * 5) + 2}, ?{(p * 5) + 3}, {(int)source}, ?{(p * 5) + 4}, ?{(p * 5) + 5})")))}
                ON CONFLICT (account_id, played_at, track_id) DO NOTHING;
                """);
        }

        /// <summary>A new batch: nothing pending (a failed batch may have left some).</summary>
        public void Begin() => _count = 0;

        public void Add(long playedAt, long track, long ms, long? details, long? offlineAt)
        {
            _pending[_count++] = (playedAt, track, ms, details, offlineAt);
            if (_count == Chunk)
            {
                Flush();
            }
        }

        /// <summary>Inserts what is pending.</summary>
        public void Flush()
        {
            if (_count == Chunk)
            {
                for (var p = 0; p < Chunk; p++)
                {
                    Bind(_many, p * 5, _pending[p]);
                }

                Check(_many.Execute(), Chunk);
            }
            else
            {
                for (var p = 0; p < _count; p++)
                {
                    Bind(_one, 0, _pending[p]);
                    Check(_one.Execute(), 1);
                }
            }

            _count = 0;
        }

        public void Dispose()
        {
            _one.Dispose();
            _many.Dispose();
        }

        private static void Bind(RawStatement statement, int offset, (long PlayedAt, long Track, long Ms, long? Details, long? OfflineAt) play)
        {
            statement.Bind(offset + 1, play.PlayedAt);
            statement.Bind(offset + 2, play.Track);
            statement.Bind(offset + 3, play.Ms);
            statement.Bind(offset + 4, play.Details);
            statement.Bind(offset + 5, play.OfflineAt);
        }

        private static void Check(int inserted, int expected)
        {
            if (inserted != expected)
            {
                throw new InvalidOperationException($"{expected - inserted} of {expected} imported plays were stored already, though the batch read them as new.");
            }
        }
    }

    /// <summary>A row of the batch with its track; <see cref="Duplicate"/>: an earlier import merged it already.</summary>
    private struct Row(ImportedPlay source, long trackId, long endedAt, long ms)
    {
        public readonly ImportedPlay Source = source;

        public readonly long TrackId = trackId;

        public readonly long EndedAt = endedAt;

        public readonly long Ms = ms;

        public bool Duplicate;
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
