// What the account dashboard and the household page share above their panels: the period and rank-by pickers,
// kept in the address (?range=…&by=…) so a view can be linked and survives a reload.
import { useSearchParams } from 'react-router';
import type { StatsRange, TopOrder } from '../lib/types';
import { Segmented } from './Segmented';

export const ranges = [
  { value: '4w', label: '4 weeks' },
  { value: '6m', label: '6 months' },
  { value: '1y', label: '1 year' },
  { value: 'all', label: 'All time' },
] as const satisfies readonly { value: StatsRange; label: string }[];

export const orders = [
  { value: 'plays', label: 'Plays' },
  { value: 'time', label: 'Time' },
] as const satisfies readonly { value: TopOrder; label: string }[];

/** The option named by `value`, or `fallback` when it names none (a hand-edited or old address). */
export function pick<T extends string>(value: string | null, allowed: readonly { value: T }[], fallback: T): T {
  return allowed.find((o) => o.value === value)?.value ?? fallback;
}

/** The stats page's address parameters: the period, the order, and a setter that keeps the scroll position. */
export function useStatsParams() {
  const [params, setParams] = useSearchParams();
  const range = pick(params.get('range'), ranges, '4w');
  const by = pick(params.get('by'), orders, 'plays');
  const set = (key: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set(key, value);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  return { params, range, by, set };
}

/** The period and rank-by pickers. */
export function StatsToolbar({ range, by, set }: Pick<ReturnType<typeof useStatsParams>, 'range' | 'by' | 'set'>) {
  return (
    <div className="toolbar">
      <Segmented label="Period" options={ranges} value={range} onChange={(v) => set('range', v)} />
      <Segmented label="Rank by" options={orders} value={by} onChange={(v) => set('by', v)} />
    </div>
  );
}
