import type { AccountView, ImportJobView, LiveStateView, NowPlayingView, PlayView } from '../lib/types';

export function nowPlaying(overrides: Partial<NowPlayingView> = {}): NowPlayingView {
  return {
    itemType: 'track',
    isPlaying: true,
    progressMs: 60_000,
    durationMs: 200_000,
    uri: 'spotify:track:1',
    name: 'Night Again',
    artists: ['The Paper Pilots'],
    albumName: 'Lost in the Time',
    imageUrl: null,
    contextUri: null,
    isLocal: false,
    observedAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

export function live(overrides: Partial<LiveStateView> = {}): LiveStateView {
  return {
    accountId: 'alex',
    displayName: 'Alex Morgan',
    state: 'playing',
    since: '2026-03-01T11:59:00.000Z',
    item: nowPlaying(),
    ...overrides,
  };
}

export function play(name: string, playedAt: string, overrides: Partial<PlayView> = {}): PlayView {
  return {
    playedAt,
    track: {
      uri: `spotify:track:${name.replace(/\W/g, '')}`,
      id: name.replace(/\W/g, ''),
      name,
      durationMs: 180_000,
      isLocal: false,
      artists: [{ id: 'a1', name: 'The Paper Pilots' }],
      albumId: 'al1',
      albumName: 'Under the Quiet Shelter',
      imageUrl: null,
    },
    msPlayed: null,
    contextUri: null,
    contextType: null,
    source: 'recently-played',
    ...overrides,
  };
}

export function account(overrides: Partial<AccountView> = {}): AccountView {
  return {
    id: 'alex',
    displayName: 'Alex Morgan',
    status: 'active',
    statusDetail: null,
    authorizedAt: '2026-01-10T09:00:00.000Z',
    reauthorizeBy: '2026-07-11T09:00:00.000Z',
    lastSuccessfulPoll: '2026-03-01T11:59:30.000Z',
    playCount: 42,
    shareStats: true,
    resumesAt: null,
    pauseReason: null,
    ...overrides,
  };
}

/** An import job of Alex's as the Host reports it; `files` default to one extended-history file of 3 rows. */
export function importJob(overrides: Partial<ImportJobView> = {}): ImportJobView {
  const files = overrides.files ?? [
    {
      name: 'my_spotify_data.zip/Spotify Extended Streaming History/Streaming_History_Audio_2024.json',
      format: 'extended-history' as const,
      rows: 3,
      read: 0,
      imported: 0,
      merged: 0,
      duplicates: 0,
      skipped: 0,
      skippedByReason: {},
    },
  ];
  return {
    id: 'job-1',
    accountId: 'alex',
    state: 'queued',
    createdAt: '2026-03-01T12:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    rows: files.reduce((n, f) => n + f.rows, 0),
    read: files.reduce((n, f) => n + f.read, 0),
    imported: files.reduce((n, f) => n + f.imported, 0),
    merged: files.reduce((n, f) => n + f.merged, 0),
    duplicates: files.reduce((n, f) => n + f.duplicates, 0),
    skipped: files.reduce((n, f) => n + f.skipped, 0),
    skippedByReason: {},
    files,
    skippedEntries: [],
    error: null,
    ...overrides,
  };
}
