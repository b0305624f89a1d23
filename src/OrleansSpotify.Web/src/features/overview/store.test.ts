import { describe, expect, it } from 'vitest';
import { live, nowPlaying, play } from '../../test/fixtures';
import { emptyOverview, feedLimit, overviewReducer, type OverviewState } from './store';

const sam = live({ accountId: 'sam', displayName: 'Sam Rivera', state: 'idle', item: null, since: '2026-03-01T10:00:00Z' });
const alex = live();

function loaded(): OverviewState {
  return overviewReducer(emptyOverview, { type: 'snapshot', live: [sam, alex], feed: [] });
}

describe('overviewReducer', () => {
  it('orders the snapshot by display name', () => {
    expect(loaded().live.map((s) => s.accountId)).toEqual(['alex', 'sam']);
  });

  it('applies a nowPlaying message to its account only', () => {
    const next = overviewReducer(loaded(), {
      type: 'nowPlaying',
      state: live({ accountId: 'sam', displayName: 'Sam Rivera', item: nowPlaying({ name: 'Shelter', observedAt: '2026-03-01T12:01:00Z' }) }),
    });
    expect(next.live).toHaveLength(2);
    expect(next.live.find((s) => s.accountId === 'sam')).toMatchObject({ state: 'playing', item: { name: 'Shelter' } });
    expect(next.live.find((s) => s.accountId === 'alex')).toBe(alex);
  });

  it('drops the live state and plays of a member who went private', () => {
    const withFeed = overviewReducer(loaded(), {
      type: 'playsAdded',
      update: { accountId: 'sam', displayName: 'Sam Rivera', plays: [play('Shelter', '2026-03-01T11:00:00Z')] },
    });
    expect(withFeed.feed).toHaveLength(1);
    const next = overviewReducer(withFeed, { type: 'hidden', accountId: 'sam' });
    expect(next.live.map((s) => s.accountId)).toEqual(['alex']);
    expect(next.feed).toHaveLength(0);
  });

  it('adds an account it did not know yet', () => {
    const next = overviewReducer(loaded(), { type: 'nowPlaying', state: live({ accountId: 'robin', displayName: 'Robin Chen' }) });
    expect(next.live.map((s) => s.accountId)).toEqual(['alex', 'robin', 'sam']);
  });

  it('keeps a hub state newer than a snapshot that was fetched before it', () => {
    const newer = live({ item: nowPlaying({ name: 'Newer', observedAt: '2026-03-01T12:05:00Z' }) });
    const state = overviewReducer(loaded(), { type: 'nowPlaying', state: newer });
    const stale = overviewReducer(state, { type: 'snapshot', live: [alex, sam], feed: [] });
    expect(stale.live.find((s) => s.accountId === 'alex')?.item?.name).toBe('Newer');
  });

  it('takes an idle snapshot when the account was last seen playing after the known state', () => {
    const idle = live({ state: 'idle', item: null, since: '2026-03-01T12:10:00Z' });
    const next = overviewReducer(loaded(), { type: 'snapshot', live: [idle, sam], feed: [] });
    expect(next.live.find((s) => s.accountId === 'alex')?.state).toBe('idle');
  });

  it('prepends added plays newest first, without duplicates, capped', () => {
    const first = play('One', '2026-03-01T11:00:00Z');
    let state = overviewReducer(loaded(), { type: 'snapshot', live: [alex], feed: [{ accountId: 'alex', displayName: 'Alex Morgan', play: first }] });
    state = overviewReducer(state, {
      type: 'playsAdded',
      update: { accountId: 'sam', displayName: 'Sam Rivera', plays: [play('Two', '2026-03-01T11:30:00Z'), play('Three', '2026-03-01T11:45:00Z')] },
    });
    state = overviewReducer(state, { type: 'playsAdded', update: { accountId: 'alex', displayName: 'Alex Morgan', plays: [first] } });
    expect(state.feed.map((f) => f.play.track.name)).toEqual(['Three', 'Two', 'One']);

    const many = Array.from({ length: 30 }, (_, i) => play(`P${i}`, new Date(Date.UTC(2026, 2, 2, 0, i)).toISOString()));
    state = overviewReducer(state, { type: 'playsAdded', update: { accountId: 'alex', displayName: 'Alex Morgan', plays: many } });
    expect(state.feed).toHaveLength(feedLimit);
    expect(state.feed[0]?.play.track.name).toBe('P29');
  });
});
