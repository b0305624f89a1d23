// Wire types of the OrleansSpotify HTTP API and SignalR hub (JSON is camelCase, enums kebab-case strings).
// Shapes follow src/OrleansSpotify.Host/Api/ApiModels.cs and src/OrleansSpotify.Abstractions/Stats.cs.

/** An ISO 8601 instant, e.g. "2026-03-01T12:34:56+00:00". */
export type Instant = string;
/** An ISO date, e.g. "2026-03-01". */
export type IsoDate = string;

export interface InfoView {
  name: string;
  version: string;
  demo: boolean;
  /** Demo mode: whether the demo's imported history is all in; null outside demo mode. */
  demoDataComplete?: boolean | null;
}

export interface MemberView {
  id: string;
  displayName: string;
}

export type AccountStatus = 'active' | 'needs-reauth' | 'blocked' | (string & {});

export interface AccountView {
  id: string;
  displayName: string;
  status: AccountStatus;
  statusDetail: string | null;
  authorizedAt: Instant;
  reauthorizeBy: Instant;
  lastSuccessfulPoll: Instant | null;
  /** Null when the member keeps their listening private (and is not you). */
  playCount: number | null;
  shareStats: boolean;
}

export interface ArtistView {
  id: string | null;
  name: string;
}

export interface TrackView {
  uri: string;
  id: string | null;
  name: string;
  durationMs: number;
  isLocal: boolean;
  artists: ArtistView[];
  albumId: string | null;
  albumName: string | null;
  imageUrl: string | null;
}

export interface PlayView {
  /** The end of the play. */
  playedAt: Instant;
  track: TrackView;
  msPlayed: number | null;
  contextUri: string | null;
  contextType: string | null;
  source: string;
}

export interface PlayPageView {
  items: PlayView[];
  nextBefore: Instant | null;
  next: string | null;
}

export interface NowPlayingView {
  itemType: string;
  isPlaying: boolean;
  progressMs: number | null;
  durationMs: number | null;
  uri: string | null;
  name: string | null;
  artists: string[];
  albumName: string | null;
  imageUrl: string | null;
  contextUri: string | null;
  isLocal: boolean;
  observedAt: Instant;
}

export type LiveStateKind = 'playing' | 'paused' | 'idle';

export interface LiveStateView {
  accountId: string;
  displayName: string;
  state: LiveStateKind;
  since: Instant | null;
  item: NowPlayingView | null;
}

export interface FeedItemView {
  accountId: string;
  displayName: string;
  play: PlayView;
}

export interface PlaysAddedMessage {
  accountId: string;
  displayName: string;
  plays: PlayView[];
}

export interface ShareTokenView {
  id: string;
  label: string;
  includeRecent: boolean;
  createdAt: Instant;
  lastUsedAt: Instant | null;
  hint: string;
}

export interface CreatedShareTokenView {
  id: string;
  label: string;
  includeRecent: boolean;
  createdAt: Instant;
  token: string;
  embedUrl: string;
  svgUrl: string;
}

export interface EmbedView {
  displayName: string;
  live: LiveStateView;
  recent: PlayView[] | null;
}

// ---- Stats ----

export type StatsRange = '4w' | '6m' | '1y' | 'all';
export type TopOrder = 'plays' | 'time';
export type TimelineBucket = 'day' | 'week' | 'month';

export interface ListeningTime {
  totalMs: number;
  reportedMs: number;
  estimatedMs: number;
}

export interface SummaryStats {
  plays: number;
  time: ListeningTime;
  distinctTracks: number;
  distinctArtists: number;
  distinctAlbums: number;
  firstPlay: Instant | null;
  lastPlay: Instant | null;
  days: number;
  playsPerDay: number;
  msPerDay: number;
}

export interface TopEntry {
  rank: number;
  spotifyId: string | null;
  name: string;
  subtitle: string | null;
  imageUrl: string | null;
  plays: number;
  time: ListeningTime;
  /** The rank in the previous period of the same length; null when not played then ("new"). */
  previousRank: number | null;
  /** Household tops only: the members who played it in the period, most plays first (private members never appear). */
  contributors?: Contributor[] | null;
}

export interface Contributor {
  accountId: string;
  plays: number;
}

export interface LeaderboardEntry {
  rank: number;
  accountId: string;
  displayName: string;
  plays: number;
  time: ListeningTime;
}

export interface Leaderboard {
  members: LeaderboardEntry[];
}

/** Jaccard overlap (0–1) of two members' top `topSize` artists and tracks. */
export interface AffinityPair {
  accountA: string;
  accountB: string;
  artists: number;
  tracks: number;
  sharedArtists: string[];
}

export interface Affinity {
  topSize: number;
  pairs: AffinityPair[];
}

export interface TopList {
  kind: 'tracks' | 'artists' | 'albums';
  by: TopOrder;
  previousFrom: Instant | null;
  previousTo: Instant | null;
  items: TopEntry[];
}

/** Plays and ms by local weekday (index 0 = Monday) and hour (0–23). */
export interface Heatmap {
  plays: number[][];
  ms: number[][];
}

export interface TimelinePoint {
  start: IsoDate;
  plays: number;
  ms: number;
}

export interface Timeline {
  bucket: TimelineBucket;
  points: TimelinePoint[];
}

export interface Streak {
  start: IsoDate;
  end: IsoDate;
  days: number;
}

export interface DayCount {
  date: IsoDate;
  plays: number;
  ms: number;
}

export interface StreakStats {
  current: Streak | null;
  longest: Streak | null;
  calendarYear: number;
  calendar: DayCount[];
}

export interface Discovery {
  spotifyId: string | null;
  name: string;
  subtitle: string | null;
  firstPlayed: Instant;
  playsInPeriod: number;
}

export interface Discoveries {
  trackCount: number;
  artistCount: number;
  tracks: Discovery[];
  artists: Discovery[];
}

export interface ListeningSession {
  start: Instant;
  end: Instant;
  plays: number;
  ms: number;
}

export interface SessionStats {
  count: number;
  averageMs: number;
  gapMinutes: number;
  longest: ListeningSession[];
}

export interface YearReview {
  year: number;
  summary: SummaryStats;
  topTracks: TopList;
  topArtists: TopList;
  topAlbums: TopList;
  busiestDay: DayCount | null;
  longestStreak: Streak | null;
  discoveries: Discoveries;
}

export interface GenreEntry {
  rank: number;
  name: string;
  plays: number;
  time: ListeningTime;
}

export interface GenreStats {
  items: GenreEntry[];
  unknownPlays: number;
  unknownTime: ListeningTime;
  artistsWithGenres: number;
  artistsWithoutGenres: number;
}
