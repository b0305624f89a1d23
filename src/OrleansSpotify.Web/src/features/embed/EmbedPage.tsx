import { useCallback, useEffect, useRef, useState } from 'react';
import { Cover } from '../../components/Cover';
import { ProgressBar } from '../../components/ProgressBar';
import { pathInApp } from '../../lib/base';
import { ApiError, enc, errorText, getJson, isAbort } from '../../lib/api';
import { formatRelative } from '../../lib/format';
import { connectLive, type ConnectionStatus } from '../../lib/hub';
import { itemTitle, progressAt, sinceText, stateLabel } from '../../lib/nowPlaying';
import type { EmbedView, LiveStateView, PlayView } from '../../lib/types';
import { useNow } from '../../lib/useNow';

export interface EmbedOptions {
  token: string;
  showRecent: boolean;
}

/** The token from [base]/embed/now-playing/{token} (null when the path has none). */
export function tokenFromPath(pathname: string, base?: string): string | null {
  const path = pathInApp(pathname, base);
  const match = path === null ? null : /^\/embed\/now-playing\/([^/]+)\/?$/.exec(path);
  if (!match?.[1]) {
    return null;
  }
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

type EmbedState =
  | { kind: 'loading' }
  | { kind: 'invalid' }
  | { kind: 'error'; error: unknown }
  | { kind: 'ready'; view: EmbedView };

const recentLimit = 5;

function EmbedCard({ live, recent, status }: { live: LiveStateView; recent: PlayView[] | null; status: ConnectionStatus }) {
  const playing = live.state === 'playing' && live.item !== null;
  const now = useNow(playing ? 250 : 30_000);
  const item = live.state === 'idle' ? null : live.item;
  return (
    <article className={`embed-card embed-${live.state}`} data-testid="embed-card" aria-label={`${live.displayName} on Spotify`}>
      <div className="embed-main">
        <Cover src={item?.imageUrl} size={88} className="embed-cover" />
        <div className="embed-body">
          <div className="embed-head">
            <span className="embed-name">{live.displayName}</span>
            <span className={`pill pill-${live.state}`} data-testid="embed-state">
              {stateLabel(live.state)}
            </span>
          </div>
          {item ? (
            <>
              <p className="embed-track" data-testid="embed-track" title={itemTitle(item)}>
                {itemTitle(item)}
              </p>
              <p className="embed-artists">{item.artists.join(', ')}</p>
              {item.durationMs ? <ProgressBar positionMs={progressAt(item, playing, now)} durationMs={item.durationMs} /> : null}
            </>
          ) : (
            <p className="embed-nothing">Nothing playing</p>
          )}
          {live.state !== 'playing' ? <p className="embed-since">{sinceText(live, now)}</p> : null}
        </div>
      </div>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {item ? `${stateLabel(live.state)}: ${itemTitle(item)} by ${item.artists.join(', ')}` : 'Nothing playing'}
      </p>
      {recent ? (
        <section className="embed-recent" aria-label="Recent plays">
          <h2>Recently played</h2>
          {recent.length ? (
            <ol>
              {recent.slice(0, recentLimit).map((play) => (
                <li key={`${play.playedAt}|${play.track.uri}`}>
                  <span className="embed-recent-track">{play.track.name}</span>
                  <span className="embed-recent-meta">
                    {play.track.artists.map((a) => a.name).join(', ')} · {formatRelative(play.playedAt, now)}
                  </span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="embed-nothing">No plays yet.</p>
          )}
        </section>
      ) : null}
      <footer className="embed-footer">
        <span className={`embed-live embed-live-${status}`}>{status === 'live' ? 'Live' : status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}</span>
        <span>OrleansSpotify</span>
      </footer>
    </article>
  );
}

/** The embeddable now-playing card of one share token: REST first, then live over the hub with the token. */
export function EmbedPage({ token, showRecent }: EmbedOptions) {
  const [state, setState] = useState<EmbedState>({ kind: 'loading' });
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const invalid = useRef(false);
  const url = `/api/embed/${enc(token)}`;

  const load = useCallback(async (): Promise<boolean> => {
    try {
      const view = await getJson<EmbedView>(url);
      setState({ kind: 'ready', view });
      return true;
    } catch (error) {
      if (isAbort(error)) {
        return true;
      }
      if (error instanceof ApiError && (error.status === 404 || error.status === 401 || error.status === 410)) {
        invalid.current = true;
        setState({ kind: 'invalid' });
        return false;
      }
      setState((s) => (s.kind === 'ready' ? s : { kind: 'error', error }));
      return true;
    }
  }, [url]);

  useEffect(() => {
    let connection: ReturnType<typeof connectLive> | null = null;
    let cancelled = false;
    // load() sets state only once the REST answer is in (it awaits the fetch), not during the effect.
    // oxlint-disable-next-line react/set-state-in-effect
    void load().then((valid) => {
      if (!valid || cancelled) {
        return;
      }
      connection = connectLive({
        url: `/hubs/listening?share=${enc(token)}`,
        onStatus: setStatus,
        onResync: () => void load(),
        // A token revoked meanwhile: the REST answer says so, and the page stops trying.
        shouldRetry: () => load(),
      });
      connection.on('nowPlaying', (live) =>
        setState((s) => (s.kind === 'ready' && live.accountId === s.view.live.accountId ? { kind: 'ready', view: { ...s.view, live } } : s)),
      );
      connection.on('playsAdded', (update) =>
        setState((s) => {
          if (s.kind !== 'ready' || s.view.recent === null || update.accountId !== s.view.live.accountId) {
            return s;
          }
          const known = new Set(s.view.recent.map((p) => `${p.playedAt}|${p.track.uri}`));
          const added = update.plays.filter((p) => !known.has(`${p.playedAt}|${p.track.uri}`));
          const recent = [...added, ...s.view.recent].toSorted((a, b) => Date.parse(b.playedAt) - Date.parse(a.playedAt)).slice(0, recentLimit);
          return { kind: 'ready', view: { ...s.view, recent } };
        }),
      );
    });
    return () => {
      cancelled = true;
      void connection?.stop();
    };
  }, [load, token]);

  if (state.kind === 'loading') {
    return (
      <div className="embed-card embed-message" role="status">
        Loading…
      </div>
    );
  }
  if (state.kind === 'invalid') {
    return (
      <div className="embed-card embed-message embed-error" data-testid="embed-error" role="alert">
        <strong>This share link is not valid.</strong>
        <span>It may have been revoked by its owner, or mistyped.</span>
      </div>
    );
  }
  if (state.kind === 'error') {
    return (
      <div className="embed-card embed-message embed-error" data-testid="embed-error" role="alert">
        <strong>Could not load what is playing.</strong>
        <span>{errorText(state.error)}</span>
        <button type="button" className="button button-secondary button-small" onClick={() => void load()}>
          Retry
        </button>
      </div>
    );
  }
  return <EmbedCard live={state.view.live} recent={showRecent ? state.view.recent : null} status={status} />;
}
