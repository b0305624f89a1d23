-- OrleansSpotify schema (SQLite). Applied at start-up by OrleansSpotify.Storage, idempotently:
-- every statement is IF NOT EXISTS / INSERT OR IGNORE, and schema_version records what is applied.
-- Later migrations add numbered blocks guarded by schema_version in SqliteSchema.cs.
--
-- Time convention: every instant is an INTEGER of Unix milliseconds, UTC.
--   plays.played_at is the END of the play, as Spotify's recently-played reports it.
-- Identity of a play: (account, played_at, track). A replay of the same track has another
-- played_at and is a second play; an overlapping re-read of recently-played inserts nothing.

CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER PRIMARY KEY,
    applied_at  INTEGER NOT NULL
);

-- Household members. account_key is Spotify's account_id (falling back to the user id) and
-- is the key of the member's ListenerGrain and of /api/accounts/{id}.
CREATE TABLE IF NOT EXISTS accounts (
    id               INTEGER PRIMARY KEY,
    account_key      TEXT    NOT NULL UNIQUE,
    spotify_user_id  TEXT    NOT NULL,
    display_name     TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'active',   -- active | needs-reauth | blocked | stopped
    status_detail    TEXT,
    authorized_at    INTEGER NOT NULL,                    -- last completed sign-in (refresh tokens die 6 months later)
    share_stats      INTEGER NOT NULL DEFAULT 1,          -- 0: the member keeps their stats out of the household's (v3)
    time_zone        TEXT,                                -- IANA zone the member's stats default to; NULL: UTC (v4)
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS artists (
    id          INTEGER PRIMARY KEY,
    spotify_id  TEXT UNIQUE,                 -- null for artists known only by name (local files, imports)
    name        TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_artists_name_without_id ON artists (name) WHERE spotify_id IS NULL;

CREATE TABLE IF NOT EXISTS albums (
    id            INTEGER PRIMARY KEY,
    spotify_id    TEXT UNIQUE,
    name          TEXT NOT NULL,
    album_type    TEXT,
    release_date  TEXT,                      -- as Spotify gives it: 1981, 1981-12 or 1981-12-15
    image_url     TEXT
);

CREATE TABLE IF NOT EXISTS tracks (
    id           INTEGER PRIMARY KEY,
    uri          TEXT    NOT NULL UNIQUE,    -- spotify:track:<id> or spotify:local:...
    spotify_id   TEXT,
    name         TEXT    NOT NULL,
    duration_ms  INTEGER NOT NULL,
    explicit     INTEGER NOT NULL DEFAULT 0,
    is_local     INTEGER NOT NULL DEFAULT 0,
    isrc         TEXT,
    album_id     INTEGER REFERENCES albums (id),
    kind             INTEGER NOT NULL DEFAULT 0, -- 0 music, 1 podcast episode, 2 audiobook chapter (v6); only music is in play_log_chunks
    collection_name  TEXT                        -- album, show or audiobook title an import named, for a track without a catalogued album (v6)
);

-- All of a track's artists, in Spotify's order (position 0 is the primary artist).
CREATE TABLE IF NOT EXISTS track_artists (
    track_id   INTEGER NOT NULL REFERENCES tracks (id),
    position   INTEGER NOT NULL,
    artist_id  INTEGER NOT NULL REFERENCES artists (id),
    PRIMARY KEY (track_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_track_artists_artist ON track_artists (artist_id);

-- Where a play was started from (album, playlist, artist, Liked Songs ...).
CREATE TABLE IF NOT EXISTS contexts (
    id    INTEGER PRIMARY KEY,
    uri   TEXT NOT NULL UNIQUE,
    type  TEXT
);

-- How a play reached us.
CREATE TABLE IF NOT EXISTS play_sources (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);
INSERT OR IGNORE INTO play_sources (id, name) VALUES
    (1, 'recently-played'),
    (2, 'import-extended-history'),
    (3, 'import-account-data'),
    (4, 'live');                                 -- v10: seen by live progress only (skips, local files, episodes, repeats)

-- One row per play, clustered by (account, time) so per-account ranges are one seek.
CREATE TABLE IF NOT EXISTS plays (
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    played_at   INTEGER NOT NULL,            -- Unix ms UTC, end of the play
    track_id    INTEGER NOT NULL REFERENCES tracks (id),
    ms_played   INTEGER,                     -- null: not reported by the source (recently-played); the track's duration stands in
    context_id  INTEGER REFERENCES contexts (id),
    source_id   INTEGER NOT NULL REFERENCES play_sources (id),
    import_ended_at  INTEGER,                -- a polled play an imported row was merged into: that row's end (its identity for re-imports) (v6)
    -- What an extended-history row said beyond the play (v6; NULL for other sources), packed in one integer so that an
    -- import of a million rows binds two values, not five: bits 0-7 flags as bit pairs (known, value) for shuffle 1|2,
    -- skipped 4|8, offline 16|32, incognito 64|128; bits 8-23 reason_start, 24-39 reason_end, 40-55 platform, each a
    -- play_labels.id (0: none). IP addresses and user agents are never stored.
    details          INTEGER,
    offline_at       INTEGER,                -- Unix ms
    PRIMARY KEY (account_id, played_at, track_id)
) WITHOUT ROWID;

-- Words extended history uses for how a play started and ended ('trackdone', 'fwdbtn' ...) and its platforms,
-- numbered once (v6): plays.details names them by id.
CREATE TABLE IF NOT EXISTS play_labels (
    id     INTEGER PRIMARY KEY,
    label  TEXT NOT NULL UNIQUE
);

-- Artist genres from GET /artists/{id}, fetched lazily in the background. genres: newline-separated; NULL while
-- Spotify has given none (absent field, 404) — stats report such artists as unknown, never guess.
CREATE TABLE IF NOT EXISTS artist_genres (
    artist_id        INTEGER PRIMARY KEY REFERENCES artists (id),
    genres           TEXT,
    fetched_at       INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0   -- failed fetches are retried from then on; 0 after a success
);

-- Tracks looked up on Spotify in the background (v8): GET /tracks/{id} for a track an import catalogued without
-- duration or album, GET /search for a track known only by name (spotify:imported:…). looked_up_at is set once Spotify
-- answered with the track; a lookup that found nothing (or failed) is not asked again before next_attempt_at. A
-- name-only track folded into the real one takes its row with it. No foreign key: the row outlives nothing but is
-- written beside the play writer, which may fold the track away meanwhile.
CREATE TABLE IF NOT EXISTS track_lookups (
    track_id         INTEGER PRIMARY KEY,
    looked_up_at     INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0
);

-- Each account's plays once more, packed for the stats grains: chunks of up to 1024 fixed 16-byte records
-- (played_at int64, track_id int32, ms int32; ms >= 0 is reported by the source, ms < 0 is -(estimate + 1), the
-- track's duration standing in), appended in the same transaction that inserts the plays, in insertion order.
-- A stats grain loads an account's whole history from a few dozen blobs instead of 200k rows.
CREATE TABLE IF NOT EXISTS play_log_chunks (
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    chunk       INTEGER NOT NULL,
    play_count  INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (account_id, chunk)
) WITHOUT ROWID;

-- Orleans grain state (ListenerGrain: cursor, idle count, tokens ...), written by SqliteGrainStorage.
CREATE TABLE IF NOT EXISTS grain_state (
    state_name  TEXT    NOT NULL,
    grain_id    TEXT    NOT NULL,
    etag        TEXT    NOT NULL,
    payload     BLOB    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (state_name, grain_id)
) WITHOUT ROWID;

-- Links a member hands out to show what they play on another site (the embed card, the SVG badge, the hub with
-- ?share=). Only a SHA-256 of the token is kept: the token itself is shown once, at creation. Deleting the row
-- revokes it. (v5)
CREATE TABLE IF NOT EXISTS share_tokens (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: live connections are grouped by token id
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    token_hash      BLOB    NOT NULL UNIQUE,   -- SHA-256 of the token's UTF-8 text
    hint            TEXT    NOT NULL,          -- the token's last 4 characters, to tell tokens apart in a list
    label           TEXT    NOT NULL,
    include_recent  INTEGER NOT NULL DEFAULT 0, -- 1: the card may show the latest plays too
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER
);
CREATE INDEX IF NOT EXISTS ix_share_tokens_account ON share_tokens (account_id);

-- Small process-wide values that must survive a restart (e.g. the Spotify app's Retry-After window).
CREATE TABLE IF NOT EXISTS app_state (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Import jobs (v7): a member's uploaded exports, imported in the background. The files wait in
-- {DataDirectory}/imports/{id}/ until the job is done or failed. Each batch of rows commits together with the job's
-- progress (next record and counts per file), so a resumed job neither loses nor re-counts a batch.
CREATE TABLE IF NOT EXISTS import_jobs (
    id               TEXT    PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id),
    state            TEXT    NOT NULL,   -- queued | running | done | failed
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER,
    files            TEXT    NOT NULL,   -- JSON: the uploads as kept in the job's folder, in order
    progress         TEXT    NOT NULL,   -- JSON: per recognised file, its format, rows, next record and counts
    skipped_entries  TEXT    NOT NULL,   -- JSON: zip entries that are not history files, and why
    error            TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_import_jobs_account ON import_jobs (account_id, created_at);
CREATE INDEX IF NOT EXISTS ix_import_jobs_state ON import_jobs (state);

-- Spotify calls (v9), counted by the quota governor: every request sent to Spotify (each retry attempt too) by UTC day,
-- account (the account key; '(sign-in)' for the sign-in's calls, before the account exists), endpoint and outcome.
-- Token-endpoint calls are endpoint 'token' (not Web API quota). spotify_call_minutes keeps the Web API calls per
-- minute (Unix ms of its start) for the rolling budget window, so a restart rebuilds it; rows older than 8 days go.
CREATE TABLE IF NOT EXISTS spotify_calls (
    day          TEXT    NOT NULL,   -- yyyy-MM-dd, UTC
    account_key  TEXT    NOT NULL,
    endpoint     TEXT    NOT NULL,   -- me | currently-playing | player | recently-played | artists | tracks | search | other | token
    outcome      TEXT    NOT NULL,   -- ok | no-content | rate-limited | quota-exceeded | unauthorized | forbidden | not-found | client-error | server-error | failed | timeout
    count        INTEGER NOT NULL,
    PRIMARY KEY (day, account_key, endpoint, outcome)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS spotify_call_minutes (
    minute  INTEGER PRIMARY KEY,
    calls   INTEGER NOT NULL
) WITHOUT ROWID;

-- Gaps in an account's history (v11): a full read of recently-played (50 items) whose oldest play is later than the
-- newest play stored before it, so plays between the two may be lost (more than 50 piled up between two reads). The
-- window is (from_ms, to_ms): the newest stored play's end and the read's oldest play's end. A re-read that sees the
-- same window records nothing; overlapping open windows are merged into one. An import whose rows span the window
-- closes it (closed_by 'import', closed_at); the row stays, so the gap's history remains.
CREATE TABLE IF NOT EXISTS history_gaps (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    from_ms      INTEGER NOT NULL,
    to_ms        INTEGER NOT NULL,
    detected_at  INTEGER NOT NULL,
    closed_by    TEXT,                -- NULL while open; 'import'
    closed_at    INTEGER
);
CREATE INDEX IF NOT EXISTS ix_history_gaps_account ON history_gaps (account_id, from_ms);

INSERT OR IGNORE INTO schema_version (version, applied_at) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
-- Version 2 (play_log_chunks) is recorded by SqliteDatabase after it has packed the plays stored before it;
-- version 3 after it has added accounts.share_stats to databases created before it, version 4 accounts.time_zone;
-- version 5 marks share_tokens (created above by its IF NOT EXISTS); version 6 (imports) adds tracks.kind,
-- tracks.collection_name and plays' import columns (import_ended_at, details, offline_at) to older databases (play_labels is created above);
-- version 7 marks import_jobs (created above by its IF NOT EXISTS).
-- version 8 marks track_lookups (created above by its IF NOT EXISTS).
-- version 9 marks spotify_calls and spotify_call_minutes (created above by their IF NOT EXISTS).
-- version 11 marks history_gaps (created above by its IF NOT EXISTS).
