// Gaps in a member's history (GET /api/accounts/{id}/gaps, and the `gaps` of a timeline or summary answer): where a
// full read of recently-played did not reach back to the stored plays, so plays may be missing. How many is not
// known; the dashboard says an honest estimate and its bound.
import { formatDateTime, formatDuration, formatNumber, plural } from '../../lib/format';
import type { HistoryGap, TimelinePoint } from '../../lib/types';

const dayMs = 86_400_000;

/** Recently-played lists plays of at least 30 s: no more than one such play ends every 30 s. */
export const shortestPlayMs = 30_000;

export interface GapEstimate {
  /** The member's usual plays for a stretch this long (their average per day × its length); null without a rate. */
  likely: number | null;
  /** The most plays that fit between the gap's ends (one per 30 s). */
  most: number;
  /** The gap's length. */
  ms: number;
}

/** How many plays may be missing from `gap`, from the member's average `playsPerDay` (null or 0: unknown). */
export function estimateMissing(gap: Pick<HistoryGap, 'from' | 'to'>, playsPerDay: number | null | undefined): GapEstimate {
  const ms = Math.max(0, Date.parse(gap.to) - Date.parse(gap.from));
  const most = Math.floor(ms / shortestPlayMs);
  const likely = playsPerDay && playsPerDay > 0 ? Math.min(most, Math.round((playsPerDay * ms) / dayMs)) : null;
  return { likely, most, ms };
}

/** "About 12 plays may be missing between … and …" (or "Up to …" when the member's rate says nothing). */
export function gapMessage(gap: Pick<HistoryGap, 'from' | 'to'>, estimate: GapEstimate): string {
  const between = `between ${formatDateTime(gap.from)} and ${formatDateTime(gap.to)}`;
  if (estimate.likely !== null && estimate.likely >= 1) {
    return `About ${plural(estimate.likely, 'play')} may be missing ${between}`;
  }
  return `Up to ${plural(estimate.most, 'play')} may be missing ${between}`;
}

/** What the estimate is made of, for the message's tooltip. */
export function gapExplanation(estimate: GapEstimate, playsPerDay: number | null | undefined): string {
  const window = `More than 50 plays piled up between two reads of Spotify's recently-played, which lists only the latest 50: the ${formatDuration(estimate.ms)} between the last play stored before and the oldest play read after may hold plays that were never read.`;
  const rate =
    estimate.likely !== null
      ? ` The estimate is this member's average of ${formatNumber(Math.round((playsPerDay ?? 0) * 10) / 10)} plays a day over their history, for that length;`
      : ' With no listening rate to go by, only the bound is given:';
  const bound = ` at most ${plural(estimate.most, 'play')} fit in it (one every 30 s). Importing a Spotify export that covers these dates fills the gap.`;
  return window + rate + bound;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A local calendar date "2026-03-04" of an instant, as the timeline's bucket starts are written. */
function localIsoDate(at: string): string {
  const date = new Date(at);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The first and last timeline bucket (their `start`s) the gap touches, to shade on the chart; null when it lies
 * outside the points. A bucket holds the dates from its start to the next one's.
 */
export function gapBuckets(gap: Pick<HistoryGap, 'from' | 'to'>, points: Pick<TimelinePoint, 'start'>[]): { x1: string; x2: string } | null {
  if (points.length === 0) {
    return null;
  }
  const from = localIsoDate(gap.from);
  const to = localIsoDate(gap.to);
  const first = points[0]!.start;
  const last = points[points.length - 1]!.start;
  if (to < first) {
    return null;
  }
  const containing = (date: string) => points.filter((p) => p.start <= date).at(-1)?.start ?? first;
  const x1 = from < first ? first : containing(from);
  const x2 = containing(to);
  // A gap after the last bucket's start lies in it (the range ends there).
  return x1 > last ? null : { x1, x2 };
}
