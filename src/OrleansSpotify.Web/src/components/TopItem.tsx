import type { ReactNode } from 'react';
import { formatDuration, plural } from '../lib/format';
import type { TopEntry, TopOrder } from '../lib/types';
import { Cover } from './Cover';

/** A row of a top list (an account's or the household's): rank, cover, name, subtitle and the value ranked by. */
export function TopItem({ entry, by, className = '', details, marker }: { entry: TopEntry; by: TopOrder; className?: string; details?: ReactNode; marker?: ReactNode }) {
  return (
    <li className={`top-item ${className}`.trim()} data-testid="top-item">
      <span className="top-rank">{entry.rank}</span>
      <Cover src={entry.imageUrl} size={40} />
      <span className="top-text">
        <span className="top-name" title={entry.name}>
          {entry.name}
        </span>
        {entry.subtitle ? <span className="top-sub">{entry.subtitle}</span> : null}
        {details}
      </span>
      <span className="top-value">{by === 'time' ? formatDuration(entry.time.totalMs) : plural(entry.plays, 'play')}</span>
      {marker}
    </li>
  );
}

/** The key of a top list's row. */
export const topItemKey = (entry: TopEntry) => `${entry.rank}-${entry.spotifyId ?? entry.name}`;
