// The dashboard's data layer: one TanStack Query client. A query's key is the app path it GETs ('/api/…' with its
// query string), so the default query function needs nothing else, and cache updates find queries by path.
import { keepPreviousData, QueryClient, useQuery, useQueryClient, type Query, type UseQueryResult } from '@tanstack/react-query';
import { getJson } from './api';
import type { AccountView } from './types';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        queryFn: ({ queryKey, signal }) => {
          const [path] = queryKey;
          if (typeof path !== 'string') {
            throw new Error(`A query keyed ${JSON.stringify(queryKey)} needs its own queryFn`);
          }
          return getJson<unknown>(path, signal);
        },
        // Errors are shown with a Retry button (the server explained them); no silent retries, no refetch on focus.
        retry: false,
        refetchOnWindowFocus: false,
      },
    },
  });
}

/** The path a query GETs (its key's first element), or '' for queries keyed otherwise. */
export function queryPath(query: Query): string {
  const [path] = query.queryKey;
  return typeof path === 'string' ? path : '';
}

/** Marks stale, and refetches where shown, every query whose path starts with one of `prefixes`. */
export function invalidatePaths(client: QueryClient, ...prefixes: string[]): Promise<void> {
  return client.invalidateQueries({ predicate: (query) => prefixes.some((prefix) => queryPath(query).startsWith(prefix)) });
}

/**
 * GETs `path` (null: nothing to fetch yet). A new path keeps the previous answer on screen until the next arrives
 * (`isPlaceholderData` meanwhile), so pickers do not blank the page.
 */
export function useApiQuery<T>(path: string | null): UseQueryResult<T> {
  return useQuery({
    queryKey: [path],
    enabled: path !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => getJson<T>(path ?? '', signal),
  });
}

export const accountsPath = '/api/accounts';

/**
 * The household's accounts, fetched once per page load and shared by every page: the hub's accountChanged
 * messages keep the cache current, and a hub reconnect refetches it (see useLiveCache).
 */
export function useAccounts(): UseQueryResult<AccountView[]> {
  return useQuery({ queryKey: [accountsPath], queryFn: ({ signal }) => getJson<AccountView[]>(accountsPath, signal), staleTime: Number.POSITIVE_INFINITY });
}

/** Puts a changed account into the shared list (adding it when new). */
export function replaceAccount(list: AccountView[] | undefined, changed: AccountView): AccountView[] | undefined {
  if (list === undefined) {
    return undefined;
  }
  return list.some((a) => a.id === changed.id) ? list.map((a) => (a.id === changed.id ? changed : a)) : [...list, changed];
}

export function useReplaceAccount(): (changed: AccountView) => void {
  const client = useQueryClient();
  return (changed) => client.setQueryData<AccountView[]>([accountsPath], (list) => replaceAccount(list, changed));
}
