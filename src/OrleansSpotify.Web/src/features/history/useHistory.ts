import { useCallback, useEffect, useRef, useState } from 'react';
import { getJson, isAbort, withQuery } from '../../lib/api';
import type { PlayPageView, PlayView } from '../../lib/types';

export const pageSize = 50;

export interface HistoryState {
  items: PlayView[];
  /** The next (older) page's URL as the server gave it; null after the last page. */
  next: string | null;
  status: 'loading' | 'idle' | 'error';
  error: unknown;
}

/** The server's `next` link, with the search kept even if the server left it out. */
export function nextUrl(next: string, q: string): string {
  if (!q) {
    return next;
  }
  const url = new URL(next, 'http://x');
  if (!url.searchParams.has('q')) {
    url.searchParams.set('q', q);
  }
  return url.pathname + url.search;
}

/**
 * Keyset-paged history of one account, newest first, following the API's `next` links. A new search aborts what
 * is in flight and starts again from the newest play.
 */
export function useHistory(accountId: string, q: string) {
  const [state, setState] = useState<HistoryState>({ items: [], next: null, status: 'loading', error: undefined });
  const controller = useRef<AbortController | null>(null);
  const firstPage = withQuery(`/api/accounts/${encodeURIComponent(accountId)}/plays`, { limit: pageSize, q });

  const fetchPage = useCallback(
    (url: string, reset: boolean) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      setState((s) => (reset ? { items: [], next: null, status: 'loading', error: undefined } : { ...s, status: 'loading', error: undefined }));
      getJson<PlayPageView>(url, abort.signal).then(
        (page) => {
          setState((s) => ({
            items: reset ? page.items : [...s.items, ...page.items],
            next: page.next ?? null,
            status: 'idle',
            error: undefined,
          }));
        },
        (error: unknown) => {
          if (!isAbort(error)) {
            setState((s) => ({ ...s, status: 'error', error }));
          }
        },
      );
    },
    [],
  );

  useEffect(() => {
    fetchPage(firstPage, true);
    return () => controller.current?.abort();
  }, [fetchPage, firstPage]);

  const stateRef = useRef(state);
  stateRef.current = state;

  const loadMore = useCallback(() => {
    const current = stateRef.current;
    if (current.status !== 'loading' && current.next) {
      fetchPage(nextUrl(current.next, q), false);
    }
  }, [fetchPage, q]);

  /** After an error: the first page again if nothing is shown yet, else the page that failed. */
  const retry = useCallback(() => {
    const current = stateRef.current;
    if (current.items.length === 0) {
      fetchPage(firstPage, true);
    } else if (current.next) {
      fetchPage(nextUrl(current.next, q), false);
    }
  }, [fetchPage, firstPage, q]);

  return { ...state, loadMore, retry };
}
