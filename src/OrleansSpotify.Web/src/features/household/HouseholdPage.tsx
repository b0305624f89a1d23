import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { Segmented } from '../../components/Segmented';
import { withQuery } from '../../lib/api';
import { plural } from '../../lib/format';
import type { AccountView, Affinity, Heatmap, Leaderboard, StatsRange, TopList, TopOrder } from '../../lib/types';
import { useApi } from '../../lib/useApi';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { HeatmapGrid } from '../dashboard/HeatmapGrid';
import { Panel } from '../dashboard/Panel';
import './household.css';
import { AffinityMatrix, HouseholdTopList, LeaderboardTable, type Names } from './HouseholdViews';

const ranges = [
  { value: '4w', label: '4 weeks' },
  { value: '6m', label: '6 months' },
  { value: '1y', label: '1 year' },
  { value: 'all', label: 'All time' },
] as const satisfies readonly { value: StatsRange; label: string }[];

const orders = [
  { value: 'plays', label: 'Plays' },
  { value: 'time', label: 'Time' },
] as const satisfies readonly { value: TopOrder; label: string }[];

function pick<T extends string>(value: string | null, allowed: readonly { value: T }[], fallback: T): T {
  return allowed.find((o) => o.value === value)?.value ?? fallback;
}

const base = '/api/household/stats';

/**
 * The household together: who listened most, whose tastes overlap, what everyone played (and who played it), and
 * when. Members who keep their stats private are in none of these answers (the server leaves them out).
 */
export default function HouseholdPage() {
  useDocumentTitle('Household');
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

  const accounts = useApi<AccountView[]>('/api/accounts');
  const leaderboard = useApi<Leaderboard>(withQuery(`${base}/leaderboard`, { range }));
  const affinity = useApi<Affinity>(withQuery(`${base}/affinity`, { range, limit: 25 }));
  const topTracks = useApi<TopList>(withQuery(`${base}/top-tracks`, { range, by, limit: 10 }));
  const topArtists = useApi<TopList>(withQuery(`${base}/top-artists`, { range, by, limit: 10 }));
  const topAlbums = useApi<TopList>(withQuery(`${base}/top-albums`, { range, by, limit: 10 }));
  const heatmap = useApi<Heatmap>(withQuery(`${base}/heatmap`, { range }));

  const names: Names = useMemo(() => new Map((accounts.state.data ?? []).map((a) => [a.id, a.displayName])), [accounts.state.data]);
  const hidden = (accounts.state.data ?? []).filter((a) => !a.shareStats);
  // The matrix's members: those the leaderboard ranks (everyone sharing), in its order.
  const members = leaderboard.state.data?.members.map((m) => m.accountId) ?? [];

  return (
    <div className="dashboard household">
      <div className="page-head">
        <div>
          <p className="eyebrow">Together</p>
          <h1>Household</h1>
        </div>
      </div>
      {hidden.length ? (
        <p className="fine-print household-note" data-testid="private-note">
          {hidden.map((a) => a.displayName).join(', ')} {hidden.length === 1 ? 'keeps their' : 'keep their'} stats private and{' '}
          {hidden.length === 1 ? 'is' : 'are'} not counted here.
        </p>
      ) : null}

      <div className="toolbar">
        <Segmented label="Period" options={ranges} value={range} onChange={(v) => set('range', v)} />
        <Segmented label="Rank by" options={orders} value={by} onChange={(v) => set('by', v)} />
      </div>

      <div className="grid-2 household-top-row">
        <Panel testId="household-leaderboard" title="Who listened most" resource={leaderboard} isEmpty={(b) => b.members.every((m) => m.plays === 0)}>
          {(b) => <LeaderboardTable board={b} />}
        </Panel>
        <Panel
          testId="household-affinity"
          title="Shared taste"
          resource={affinity}
          isEmpty={(a) => a.pairs.length === 0}
          empty={members.length < 2 ? 'Shared taste needs two members who share their stats.' : 'No plays in this period.'}
        >
          {(a) => <AffinityMatrix affinity={a} members={members.length ? members : [...new Set(a.pairs.flatMap((p) => [p.accountA, p.accountB]))]} names={names} />}
        </Panel>
      </div>

      <div className="grid-3">
        {(
          [
            ['household-top-tracks', 'Top tracks', topTracks],
            ['household-top-artists', 'Top artists', topArtists],
            ['household-top-albums', 'Top albums', topAlbums],
          ] as const
        ).map(([testId, title, resource]) => (
          <Panel key={testId} testId={testId} title={title} resource={resource} isEmpty={(l) => l.items.length === 0}>
            {(list) => <HouseholdTopList list={list} by={by} names={names} />}
          </Panel>
        ))}
      </div>

      <Panel testId="household-heatmap" title="When the household listens" resource={heatmap} isEmpty={(h) => h.plays.flat().every((v) => v === 0)}>
        {(h) => (
          <>
            <HeatmapGrid heatmap={h} by={by} />
            <p className="fine-print">
              Plays of the {plural(members.length, 'member')} sharing their stats, by weekday and hour in your time zone.
            </p>
          </>
        )}
      </Panel>
    </div>
  );
}
