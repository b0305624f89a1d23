import type { LiveStateKind, LiveStateView, NowPlayingView } from './types';
import { formatRelative, formatWhen } from './format';

/**
 * Where playback is at `now`: the last observed progress plus the time since it was observed while playing,
 * never past the end of the item; frozen while paused.
 */
export function progressAt(item: NowPlayingView, playing: boolean, now: number): number {
  const base = item.progressMs ?? 0;
  const elapsed = playing ? Math.max(0, now - Date.parse(item.observedAt)) : 0;
  const position = base + elapsed;
  return item.durationMs ? Math.min(position, item.durationMs) : position;
}

const stateLabels: Record<LiveStateKind, string> = {
  playing: 'Playing',
  paused: 'Paused',
  idle: 'Idle',
};

export function stateLabel(state: LiveStateKind): string {
  return stateLabels[state];
}

/** "Paused since 14:03 (5 minutes ago)", "Idle since 3 Mar (2 days ago)", "Playing since …". */
export function sinceText(live: Pick<LiveStateView, 'state' | 'since'>, now: number): string {
  const label = stateLabel(live.state);
  if (!live.since) {
    return live.state === 'idle' ? 'Idle — no plays recorded yet' : label;
  }
  return `${label} since ${formatWhen(live.since, now)} (${formatRelative(live.since, now)})`;
}

export function itemTitle(item: NowPlayingView): string {
  if (item.name) {
    return item.name;
  }
  return item.itemType === 'ad' ? 'Advertisement' : 'Unknown item';
}
