import type { FeedItemView, LiveStateView, PlaysAddedMessage } from '../../lib/types';

/** The overview's state: every member's live state and the household's latest plays, newest first. */
export interface OverviewState {
  live: LiveStateView[];
  feed: FeedItemView[];
}

export type OverviewAction =
  | { type: 'snapshot'; live: LiveStateView[]; feed: FeedItemView[] }
  | { type: 'nowPlaying'; state: LiveStateView }
  | { type: 'playsAdded'; update: PlaysAddedMessage }
  | { type: 'hidden'; accountId: string };

export const feedLimit = 20;

/** The overview's query (both REST answers as one state), updated in place by the hub's messages. */
export const overviewKey = ['overview'] as const;
export const emptyOverview: OverviewState = { live: [], feed: [] };

const byName = (a: LiveStateView, b: LiveStateView) => a.displayName.localeCompare(b.displayName) || a.accountId.localeCompare(b.accountId);

/** When a state was last known true: the item's observation, else (idle) when the account was last seen playing. */
function stamp(state: LiveStateView): number {
  const at = state.item?.observedAt ?? state.since;
  return at ? Date.parse(at) : Number.NEGATIVE_INFINITY;
}

const feedKey = (item: FeedItemView) => `${item.accountId}|${item.play.playedAt}|${item.play.track.uri}`;

function mergeFeed(current: FeedItemView[], incoming: FeedItemView[]): FeedItemView[] {
  const seen = new Map<string, FeedItemView>();
  for (const item of [...incoming, ...current]) {
    const key = feedKey(item);
    if (!seen.has(key)) {
      seen.set(key, item);
    }
  }
  return [...seen.values()].toSorted((a, b) => Date.parse(b.play.playedAt) - Date.parse(a.play.playedAt)).slice(0, feedLimit);
}

export function overviewReducer(state: OverviewState, action: OverviewAction): OverviewState {
  switch (action.type) {
    case 'snapshot': {
      // A snapshot fetched while hub messages arrived can be older than them: keep a known state only when it is
      // strictly newer than the snapshot's.
      const current = new Map(state.live.map((s) => [s.accountId, s]));
      const live = action.live.map((fresh) => {
        const known = current.get(fresh.accountId);
        return known && stamp(known) > stamp(fresh) ? known : fresh;
      });
      return { live: live.toSorted(byName), feed: mergeFeed(state.feed, action.feed) };
    }
    case 'nowPlaying': {
      const others = state.live.filter((s) => s.accountId !== action.state.accountId);
      return { ...state, live: [...others, action.state].toSorted(byName) };
    }
    case 'hidden':
      // The member went private: their live state and plays are no longer yours to see.
      return {
        live: state.live.filter((s) => s.accountId !== action.accountId),
        feed: state.feed.filter((f) => f.accountId !== action.accountId),
      };
    case 'playsAdded': {
      const { accountId, displayName, plays } = action.update;
      const added = plays.map((play) => ({ accountId, displayName, play }));
      return { ...state, feed: mergeFeed(state.feed, added) };
    }
  }
}
