import { useMemo } from 'react';
import { StatsToolbar, useStatsParams } from '../../components/StatsControls';
import { withQuery } from '../../lib/api';
import { plural } from '../../lib/format';
import { useAccounts, useApiQuery } from '../../lib/query';
import type { Affinity, Heatmap, Leaderboard, TopList } from '../../lib/types';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { HeatmapGrid } from '../dashboard/HeatmapGrid';
import { Panel } from '../dashboard/Panel';
import './household.css';
import { AffinityMatrix, HouseholdTopList, LeaderboardTable, type Names } from './HouseholdViews';

const base = '/api/household/stats';

/**
 * The household together: who listened most, whose tastes overlap, what everyone played (and who played it), and
 * when. Members who keep their stats private are in none of these answers (the server leaves them out).
 */
export default function HouseholdPage() {
  useDocumentTitle('Household');
  const { range, by, set } = useStatsParams();

  const accounts = useAccounts();
  const leaderboard = useApiQuery<Leaderboard>(withQuery(`${base}/leaderboard`, { range }));
  const affinity = useApiQuery<Affinity>(withQuery(`${base}/affinity`, { range, limit: 25 }));
  const topTracks = useApiQuery<TopList>(withQuery(`${base}/top-tracks`, { range, by, limit: 10 }));
  const topArtists = useApiQuery<TopList>(withQuery(`${base}/top-artists`, { range, by, limit: 10 }));
  const topAlbums = useApiQuery<TopList>(withQuery(`${base}/top-albums`, { range, by, limit: 10 }));
  const heatmap = useApiQuery<Heatmap>(withQuery(`${base}/heatmap`, { range }));

  const names: Names = useMemo(() => new Map((accounts.data ?? []).map((a) => [a.id, a.displayName])), [accounts.data]);
  const hidden = (accounts.data ?? []).filter((a) => !a.shareStats);
  // The matrix's members: those the leaderboard ranks (everyone sharing), in its order.
  const members = leaderboard.data?.members.map((m) => m.accountId) ?? [];

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

      <StatsToolbar range={range} by={by} set={set} />

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
