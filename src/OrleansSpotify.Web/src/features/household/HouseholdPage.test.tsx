import { render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch } from '../../test/fetch';
import { appProviders } from '../../test/query';
import type { Affinity, Heatmap, Leaderboard, TopEntry, TopList } from '../../lib/types';
import HouseholdPage from './HouseholdPage';

const accounts = [
  { id: 'alex', displayName: 'Alex Morgan', shareStats: true },
  { id: 'sam', displayName: 'Sam Lee', shareStats: true },
  { id: 'robin', displayName: 'Robin Park', shareStats: false },
];

const time = (ms: number) => ({ totalMs: ms, reportedMs: ms, estimatedMs: 0 });

const leaderboard: Leaderboard = {
  members: [
    { rank: 1, accountId: 'sam', displayName: 'Sam Lee', plays: 120, time: time(7_200_000) },
    { rank: 2, accountId: 'alex', displayName: 'Alex Morgan', plays: 80, time: time(3_600_000) },
  ],
};

const affinity: Affinity = { topSize: 25, pairs: [{ accountA: 'sam', accountB: 'alex', artists: 0.42, tracks: 0.1, sharedArtists: ['The Paper Pilots'] }] };

function entry(rank: number, name: string, contributors: { accountId: string; plays: number }[]): TopEntry {
  const plays = contributors.reduce((sum, c) => sum + c.plays, 0);
  return { rank, spotifyId: name, name, subtitle: null, imageUrl: null, plays, time: time(plays * 180_000), previousRank: null, contributors };
}

function top(kind: TopList['kind'], items: TopEntry[]): TopList {
  return { kind, by: 'plays', previousFrom: null, previousTo: null, items };
}

const heatmap: Heatmap = {
  plays: Array.from({ length: 7 }, (_day, d) => Array.from({ length: 24 }, (_hour, h) => (d === 2 && h === 20 ? 9 : 0))),
  ms: Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0)),
};

type Answers = Partial<Record<string, () => Response | Promise<Response>>>;

function serve(overrides: Answers = {}) {
  const answers: Answers = {
    '/api/accounts': () => json(accounts),
    '/api/household/stats/leaderboard': () => json(leaderboard),
    '/api/household/stats/affinity': () => json(affinity),
    '/api/household/stats/top-tracks': () =>
      json(top('tracks', [entry(1, 'Night Again', [{ accountId: 'sam', plays: 9 }, { accountId: 'alex', plays: 4 }]), entry(2, 'Paper Heart', [{ accountId: 'alex', plays: 5 }])])),
    '/api/household/stats/top-artists': () => json(top('artists', [entry(1, 'The Paper Pilots', [{ accountId: 'alex', plays: 30 }])])),
    '/api/household/stats/top-albums': () => json(top('albums', [entry(1, 'Lost in the Time', [{ accountId: 'sam', plays: 12 }])])),
    '/api/household/stats/heatmap': () => json(heatmap),
    ...overrides,
  };
  return mockFetch((url) => answers[url.pathname]?.());
}

function renderPage(path = '/household') {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/household" element={<HouseholdPage />} />
      </Routes>
    </MemoryRouter>,
    { wrapper: appProviders().wrapper },
  );
}

const ready = (testId: string) => waitFor(() => expect(screen.getByTestId(testId)).toHaveAttribute('data-ready', 'true'));

describe('HouseholdPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('ranks the members, shows shared taste, the tops with who contributed and the heatmap', async () => {
    const fetch = serve();
    renderPage('/household?range=6m');
    for (const id of ['household-leaderboard', 'household-affinity', 'household-top-tracks', 'household-top-artists', 'household-top-albums', 'household-heatmap']) {
      await ready(id);
    }

    const rows = within(screen.getByTestId('household-leaderboard')).getAllByTestId('leaderboard-row');
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Sam Lee', 'Alex Morgan']);
    expect(rows[0]).toHaveTextContent('120');

    const matrix = screen.getByTestId('household-affinity');
    expect(within(matrix).getAllByLabelText(/Sam Lee and Alex Morgan: 42% of top artists, 10% of top tracks/)).toHaveLength(1);
    expect(within(matrix).getByTestId('affinity-pairs')).toHaveTextContent('The Paper Pilots');

    const tracks = within(screen.getByTestId('household-top-tracks')).getAllByTestId('top-item');
    expect(within(tracks[0]!).getByTestId('contributors')).toHaveTextContent('Played by Sam Lee 9 · Alex Morgan 4');
    expect(within(tracks[1]!).getByTestId('contributors')).toHaveTextContent('Alex Morgan 5');
    expect(within(screen.getByTestId('household-heatmap')).getByLabelText('Wednesday 20:00 – 9 plays')).toBeInTheDocument();

    // The private member is named once, as not counted, and appears nowhere in the stats.
    expect(screen.getByTestId('private-note')).toHaveTextContent('Robin Park keeps their stats private and is not counted here.');
    for (const id of ['household-leaderboard', 'household-affinity', 'household-top-tracks', 'household-top-artists', 'household-top-albums']) {
      expect(screen.getByTestId(id)).not.toHaveTextContent('Robin');
    }
    expect(document.querySelector('[data-account="robin"]')).toBeNull();

    // The period picked is what every stat is asked for.
    const asked = fetch.mock.calls.map(([input]) => new URL(String(input), 'http://localhost')).filter((u) => u.pathname.startsWith('/api/household/'));
    expect(asked.length).toBe(6);
    expect(asked.every((u) => u.searchParams.get('range') === '6m')).toBe(true);
  });

  it('shows loading, then honest empty states for a quiet period', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const empty = top('tracks', []);
    serve({
      '/api/household/stats/leaderboard': async () => {
        await gate;
        return json({ members: [{ ...leaderboard.members[0], plays: 0, time: time(0) }] });
      },
      '/api/household/stats/affinity': () => json({ topSize: 25, pairs: [] }),
      '/api/household/stats/top-tracks': () => json(empty),
      '/api/household/stats/top-artists': () => json({ ...empty, kind: 'artists' }),
      '/api/household/stats/top-albums': () => json({ ...empty, kind: 'albums' }),
      '/api/household/stats/heatmap': () => json({ plays: heatmap.ms, ms: heatmap.ms }),
    });
    renderPage();
    expect(within(screen.getByTestId('household-leaderboard')).getByText('Loading…')).toBeInTheDocument();
    expect(screen.getByTestId('household-leaderboard')).not.toHaveAttribute('data-ready');
    release();
    await ready('household-leaderboard');
    await ready('household-heatmap');
    expect(within(screen.getByTestId('household-leaderboard')).getByText('No plays in this period.')).toBeInTheDocument();
    expect(within(screen.getByTestId('household-affinity')).getByText('Shared taste needs two members who share their stats.')).toBeInTheDocument();
    expect(within(screen.getByTestId('household-top-tracks')).getByText('No plays in this period.')).toBeInTheDocument();
    expect(within(screen.getByTestId('household-heatmap')).getByText('No plays in this period.')).toBeInTheDocument();
  });

  it('shows the server error with a retry in the panel that failed', async () => {
    serve({
      '/api/household/stats/affinity': () => json({ title: 'Invalid stats request', status: 400, detail: 'limit is too large' }, 400),
    });
    renderPage();
    await ready('household-leaderboard');
    const panel = screen.getByTestId('household-affinity');
    await waitFor(() => expect(within(panel).getByRole('button', { name: /retry|try again/i })).toBeInTheDocument());
    expect(panel).not.toHaveAttribute('data-ready');
    expect(screen.getByTestId('household-top-tracks')).toHaveAttribute('data-ready', 'true');
  });
});
