// Wire types of the OrleansSpotify HTTP API, generated: src/lib/api-schema.d.ts is written from the committed
// openapi.json (the Host's /openapi/v1.json, which a Host test keeps in step) by `npm run generate`, which build,
// dev and test run first. The names below are the schemas' own; only the SignalR hub's messages, which the OpenAPI
// document does not describe, are written here, built from the generated shapes.
import type { components } from './api-schema';

type Schemas = components['schemas'];

/** An ISO 8601 instant, e.g. "2026-03-01T12:34:56+00:00". */
export type Instant = string;
/** An ISO date, e.g. "2026-03-01". */
export type IsoDate = string;

export type InfoView = Schemas['InfoView'];
export type MemberView = Schemas['MemberView'];
export type AccountView = Schemas['AccountView'];
export type ArtistView = Schemas['ArtistView'];
export type TrackView = Schemas['TrackView'];
export type PlayView = Schemas['PlayView'];
export type PlayPageView = Schemas['PlayPageView'];
export type NowPlayingView = Schemas['NowPlayingView'];
export type LiveStateView = Schemas['LiveStateView'];
export type FeedItemView = Schemas['FeedItemView'];
export type ShareTokenView = Schemas['ShareTokenView'];
export type CreatedShareTokenView = Schemas['CreatedShareTokenView'];
export type EmbedView = Schemas['EmbedView'];

/** 'playing' | 'paused' | 'idle': LiveStateView.state. */
export type LiveStateKind = Schemas['PlaybackState'];

// ---- Stats ----

/** The `range` query parameter of the stats endpoints. */
export type StatsRange = '4w' | '6m' | '1y' | 'all';
export type TopOrder = Schemas['TopOrder'];
export type TimelineBucket = Schemas['TimelineBucket'];
export type ListeningTime = Schemas['ListeningTime'];
export type SummaryStats = Schemas['SummaryStats'];
export type TopEntry = Schemas['TopEntry'];
export type Contributor = Schemas['Contributor'];
export type LeaderboardEntry = Schemas['LeaderboardEntry'];
export type Leaderboard = Schemas['Leaderboard'];
export type AffinityPair = Schemas['AffinityPair'];
export type Affinity = Schemas['Affinity'];
export type TopList = Schemas['TopList'];
export type Heatmap = Schemas['Heatmap'];
export type TimelinePoint = Schemas['TimelinePoint'];
export type Timeline = Schemas['Timeline'];
export type Streak = Schemas['Streak'];
export type DayCount = Schemas['DayCount'];
export type StreakStats = Schemas['StreakStats'];
export type Discovery = Schemas['Discovery'];
export type Discoveries = Schemas['Discoveries'];
export type ListeningSession = Schemas['ListeningSession'];
export type SessionStats = Schemas['SessionStats'];
export type YearReview = Schemas['YearReview'];
export type GenreEntry = Schemas['GenreEntry'];
export type GenreStats = Schemas['GenreStats'];
/** A stretch of a member's history where plays may be missing (GET /api/accounts/{id}/gaps; a timeline's or summary's `gaps`). */
export type HistoryGap = Schemas['HistoryGap'];

// ---- SignalR hub messages (/hubs/listening), not in the OpenAPI document ----

/** `playsAdded`: an account's newly committed plays, newest first (the host's PlaysAddedView). */
export interface PlaysAddedMessage extends Pick<FeedItemView, 'accountId' | 'displayName'> {
  plays: PlayView[];
}

// ---- Imports ----

/** An import job and its report so far (GET /api/imports/{job}, the upload's 202, and the hub's `importProgress`). */
export type ImportJobView = Schemas['ImportJobView'];
/** One file of a job (inside a zip: 'archive.zip/folder/entry.json'); `read` of `rows` are committed. */
export type ImportFileView = Schemas['ImportFileView'];
export type ImportSkippedEntryView = Schemas['ImportSkippedEntryView'];
/** 'queued' | 'running' | 'done' | 'failed'. */
export type ImportJobStateName = Schemas['ImportJobState'];
/** 'extended-history' | 'account-data' | 'orleans-spotify'. */
export type ImportFormatName = Schemas['ImportFormat'];
/** The counts a job and each of its files carry. */
export type ImportCounts = Pick<ImportFileView, 'rows' | 'read' | 'imported' | 'merged' | 'duplicates' | 'skipped' | 'skippedByReason'>;
