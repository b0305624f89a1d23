import { useInfiniteQuery } from '@tanstack/react-query';
import { getJson, withQuery } from '../../lib/api';
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
 * Keyset-paged history of one account, newest first, following the API's `next` links (an infinite query whose
 * page parameter is the page's URL). A new search is a new query: it starts again from the newest play, and what
 * was in flight for the old one is cancelled.
 */
export function useHistory(accountId: string, q: string) {
  const firstPage = withQuery(`/api/accounts/${encodeURIComponent(accountId)}/plays`, { limit: pageSize, q });
  const query = useInfiniteQuery({
    queryKey: ['history', accountId, q],
    queryFn: ({ pageParam, signal }) => getJson<PlayPageView>(pageParam, signal),
    initialPageParam: firstPage,
    getNextPageParam: (page) => (page.next ? nextUrl(page.next, q) : undefined),
  });
  const items: PlayView[] = query.data?.pages.flatMap((page) => page.items) ?? [];
  const status: HistoryState['status'] = query.isFetching ? 'loading' : query.isError ? 'error' : 'idle';
  const next = query.hasNextPage ? (query.data?.pages.at(-1)?.next ?? null) : null;

  const loadMore = () => {
    if (!query.isFetching && query.hasNextPage) {
      void query.fetchNextPage();
    }
  };

  /** After an error: the first page again if nothing is shown yet, else the page that failed. */
  const retry = () => {
    if (items.length === 0) {
      void query.refetch();
    } else if (query.hasNextPage) {
      void query.fetchNextPage();
    }
  };

  return { items, next, status, error: query.error, loadMore, retry };
}
