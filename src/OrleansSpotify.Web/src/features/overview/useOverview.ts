import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { getJson, isAbort } from '../../lib/api';
import { useHubEvent, useResync } from '../../lib/live';
import type { FeedItemView, LiveStateView } from '../../lib/types';
import { emptyOverview, feedLimit, overviewReducer } from './store';

export type LoadStatus = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; error: unknown };

/**
 * The overview's live data: a REST snapshot on mount and after every hub (re)connect, kept current by the hub's
 * nowPlaying and playsAdded messages in between.
 */
export function useOverview() {
  const [state, dispatch] = useReducer(overviewReducer, emptyOverview);
  const [status, setStatus] = useState<LoadStatus>({ kind: 'loading' });
  const controller = useRef<AbortController | null>(null);

  const load = useCallback(() => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    Promise.all([
      getJson<LiveStateView[]>('/api/household/now-playing', abort.signal),
      getJson<FeedItemView[]>(`/api/household/plays?limit=${feedLimit}`, abort.signal),
    ]).then(
      ([live, feed]) => {
        dispatch({ type: 'snapshot', live, feed });
        setStatus({ kind: 'ready' });
      },
      (error: unknown) => {
        if (!isAbort(error)) {
          // Keep what is shown; say that it could not be refreshed.
          setStatus({ kind: 'error', error });
        }
      },
    );
  }, []);

  useEffect(() => {
    load();
    return () => controller.current?.abort();
  }, [load]);

  useResync(load);
  useHubEvent('nowPlaying', (message) => dispatch({ type: 'nowPlaying', state: message }));
  useHubEvent('playsAdded', (message) => dispatch({ type: 'playsAdded', update: message }));
  // A member who goes private is dropped at once (their play count comes without a number); one who shares again
  // is read back with the next snapshot.
  const shown = useRef(state.live);
  useEffect(() => {
    shown.current = state.live;
  }, [state.live]);
  useHubEvent('accountChanged', (account) => {
    if (account.playCount === null) {
      dispatch({ type: 'hidden', accountId: account.id });
    } else if (account.shareStats && !shown.current.some((s) => s.accountId === account.id)) {
      load();
    }
  });

  return { state, status, reload: load };
}
