import type { ReactNode } from 'react';
import { itemTitle, progressAt, sinceText, stateLabel } from '../lib/nowPlaying';
import type { LiveStateView } from '../lib/types';
import { useNow } from '../lib/useNow';
import { Cover } from './Cover';
import { ProgressBar } from './ProgressBar';

/** Ticks of the progress bar while playing (a CSS transition of the same length smooths each step). */
export const progressTickMs = 250;

/**
 * A member's live card: what plays (or that nothing does), a progress bar that advances between server updates
 * while playing and stands still while paused, and since when the state holds.
 */
export function NowPlayingCard({ live, footer }: { live: LiveStateView; footer?: ReactNode }) {
  const playing = live.state === 'playing' && live.item !== null;
  const now = useNow(playing ? progressTickMs : 30_000);
  const item = live.item;
  const title = item ? itemTitle(item) : null;
  const headingId = `np-${live.accountId}`;
  const announcement =
    item && live.state !== 'idle'
      ? `${live.displayName}: ${stateLabel(live.state)} ${title}${item.artists.length ? ` by ${item.artists.join(', ')}` : ''}`
      : `${live.displayName}: nothing playing`;

  return (
    <article className={`np-card np-${live.state}`} data-testid="now-playing-card" data-account-id={live.accountId} aria-labelledby={headingId}>
      <Cover src={item?.imageUrl} size={96} className="np-cover" />
      <div className="np-body">
        <div className="np-head">
          <h3 id={headingId} className="np-name">
            {live.displayName}
          </h3>
          <span className={`pill pill-${live.state}`} data-testid="now-playing-state">
            {stateLabel(live.state)}
          </span>
        </div>
        {item && live.state !== 'idle' ? (
          <>
            <p className="np-track" data-testid="now-playing-track" title={title ?? undefined}>
              {title}
            </p>
            <p className="np-artists" data-testid="now-playing-artists">
              {item.artists.join(', ') || '\u00a0'}
            </p>
            {item.durationMs ? <ProgressBar positionMs={progressAt(item, playing, now)} durationMs={item.durationMs} /> : null}
          </>
        ) : (
          <p className="np-nothing">Nothing playing</p>
        )}
        <p className="np-since" title={live.since ?? undefined}>
          {sinceText(live, now)}
        </p>
        <p className="sr-only" aria-live="polite" aria-atomic="true">
          {announcement}
        </p>
        {footer}
      </div>
    </article>
  );
}
