import type { TopEntry } from '../../lib/types';

export type RankChange =
  | { kind: 'up'; places: number }
  | { kind: 'down'; places: number }
  | { kind: 'same' }
  | { kind: 'new' };

/** How an entry moved against the previous period of the same length (previousRank null: not played then). */
export function rankChange(entry: Pick<TopEntry, 'rank' | 'previousRank'>): RankChange {
  if (entry.previousRank === null) {
    return { kind: 'new' };
  }
  if (entry.previousRank > entry.rank) {
    return { kind: 'up', places: entry.previousRank - entry.rank };
  }
  if (entry.previousRank < entry.rank) {
    return { kind: 'down', places: entry.rank - entry.previousRank };
  }
  return { kind: 'same' };
}
