import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../lib/api';
import type { FeedItemView, LiveStateView } from '../../lib/types';
import { emptyOverview, feedLimit, overviewKey, overviewReducer, type OverviewState } from './store';

async function fetchOverview(signal: AbortSignal): Promise<OverviewState> {
  const [live, feed] = await Promise.all([
    getJson<LiveStateView[]>('/api/household/now-playing', signal),
    getJson<FeedItemView[]>(`/api/household/plays?limit=${feedLimit}`, signal),
  ]);
  return overviewReducer(emptyOverview, { type: 'snapshot', live, feed });
}

/**
 * The overview's live data: a REST snapshot on mount and after every hub (re)connect, kept current in between by
 * the hub's nowPlaying and playsAdded messages (lib/liveCache.ts writes them into this query's cache). A snapshot is
 * merged into what is cached, so a message newer than the snapshot is kept.
 */
export function useOverview() {
  const query = useQuery({
    queryKey: overviewKey,
    queryFn: ({ signal }) => fetchOverview(signal),
    structuralSharing: (old, fresh) => {
      const known = old as OverviewState | undefined;
      const snapshot = fresh as OverviewState;
      return known ? overviewReducer(known, { type: 'snapshot', live: snapshot.live, feed: snapshot.feed }) : snapshot;
    },
  });
  return { state: query.data ?? emptyOverview, query };
}
