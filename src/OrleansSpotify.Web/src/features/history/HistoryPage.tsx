import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Cover } from '../../components/Cover';
import { Empty, ErrorState, Loading } from '../../components/States';
import { ApiError, enc } from '../../lib/api';
import { formatClock, formatDateTime } from '../../lib/format';
import { useAccounts } from '../../lib/query';
import { useSession } from '../../lib/session';
import type { PlayView } from '../../lib/types';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useHistory } from './useHistory';

export const searchDebounceMs = 300;

const dayHeading = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function groupByDay(items: PlayView[]): { day: string; plays: PlayView[] }[] {
  const groups: { day: string; plays: PlayView[] }[] = [];
  for (const play of items) {
    const day = dayHeading.format(new Date(play.playedAt));
    const last = groups.at(-1);
    if (last?.day === day) {
      last.plays.push(play);
    } else {
      groups.push({ day, plays: [play] });
    }
  }
  return groups;
}

/**
 * Calls `onVisible` whenever the returned element's sentinel is in view, and again after every change of `shown`
 * (what is listed) while it stays in view.
 */
function useInfiniteScroll(onVisible: () => void, enabled: boolean, shown: string) {
  const ref = useRef<HTMLDivElement | null>(null);
  const latest = useRef(onVisible);
  useEffect(() => {
    latest.current = onVisible;
  });
  useEffect(() => {
    const element = ref.current;
    if (!enabled || !element || typeof IntersectionObserver === 'undefined') {
      return;
    }
    // A fresh observer reports the current state at once, so a sentinel still in view loads the next page too.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        latest.current();
      }
    }, { rootMargin: '400px 0px' });
    observer.observe(element);
    return () => observer.disconnect();
    // `shown` is not read: a new list means a new observer, whose first report says whether the sentinel is still in view.
    // oxlint-disable-next-line react/exhaustive-effect-dependencies
  }, [enabled, shown]);
  return ref;
}

export default function HistoryPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);

  // Debounce typing into the URL's ?q= (which drives the fetch).
  useEffect(() => {
    const value = text.trim();
    if (value === q) {
      return;
    }
    const timer = setTimeout(() => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) {
            next.set('q', value);
          } else {
            next.delete('q');
          }
          return next;
        },
        { replace: true },
      );
    }, searchDebounceMs);
    return () => clearTimeout(timer);
  }, [text, q, setParams]);

  const accounts = useAccounts();
  const name = accounts.data?.find((a) => a.id === id)?.displayName ?? '';
  useDocumentTitle(name ? `${name} · History` : 'History');

  const history = useHistory(id, q);
  const sentinel = useInfiniteScroll(history.loadMore, history.status === 'idle' && history.next !== null, `${history.items.length}|${history.next}`);
  const forbidden = history.error instanceof ApiError && [403, 404].includes(history.error.status);

  return (
    <div className="history">
      <div className="page-head">
        <div>
          <p className="eyebrow">History</p>
          <h1>{name || '\u00a0'}</h1>
        </div>
        <nav className="tabs" aria-label="Account pages">
          <Link to={`/accounts/${enc(id)}`}>Stats</Link>
          <Link to={`/accounts/${enc(id)}/history`} aria-current="page">
            History
          </Link>
          {me?.id === id ? <Link to={`/accounts/${enc(id)}/import`}>Import</Link> : null}
        </nav>
      </div>

      <form className="search" role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="history-search" className="sr-only">
          Search plays by track, artist or album
        </label>
        <input
          id="history-search"
          type="search"
          // Explicit (type=search implies it) so that CSS/attribute selectors find it too.
          role="searchbox"
          placeholder="Search track, artist or album"
          value={text}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => setText(e.target.value)}
        />
      </form>

      {history.items.length === 0 && history.status === 'loading' ? <Loading label="Loading plays…" /> : null}
      {history.items.length === 0 && history.status === 'idle' ? (
        <Empty>{q ? `No plays match “${q}”.` : 'No plays yet. Plays appear here a few minutes after a track ends.'}</Empty>
      ) : null}

      {groupByDay(history.items).map((group) => (
        <section key={group.day} className="history-day" aria-label={group.day}>
          <h2 className="history-day-heading">{group.day}</h2>
          <ol className="history-list">
            {group.plays.map((play) => (
              <li key={`${play.playedAt}|${play.track.uri}`} className="history-row" data-testid="history-row">
                <Cover src={play.track.imageUrl} size={44} />
                <span className="history-text">
                  <span className="history-track">{play.track.name}</span>
                  <span className="history-meta">
                    {play.track.artists.map((a) => a.name).join(', ')}
                    {play.track.albumName ? ` · ${play.track.albumName}` : ''}
                  </span>
                </span>
                <span className="history-when">
                  <time dateTime={play.playedAt} title={formatDateTime(play.playedAt)}>
                    {timeOfDay.format(new Date(play.playedAt))}
                  </time>
                  <span className="muted">{formatClock(play.msPlayed ?? play.track.durationMs)}</span>
                </span>
              </li>
            ))}
          </ol>
        </section>
      ))}

      {history.status === 'error' ? <ErrorState error={history.error} onRetry={forbidden ? undefined : history.retry} title="Could not load plays" /> : null}

      <div ref={sentinel} className="history-end" aria-live="polite">
        {history.items.length > 0 && history.status === 'loading' ? <Loading label="Loading older plays…" /> : null}
        {history.next && history.status === 'idle' ? (
          <button type="button" className="button button-secondary" onClick={history.loadMore}>
            Load more
          </button>
        ) : null}
        {!history.next && history.status === 'idle' && history.items.length > 0 ? (
          <p className="muted">That's all — {history.items.length} plays{q ? ` matching “${q}”` : ''}.</p>
        ) : null}
      </div>
    </div>
  );
}
