import { act, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import AccountsPage from '../features/accounts/AccountsPage';
import HouseholdPage from '../features/household/HouseholdPage';
import { calls, json, mockFetch } from '../test/fetch';
import { account, play } from '../test/fixtures';
import { appProviders } from '../test/query';
import type { Leaderboard } from './types';

const time = (ms: number) => ({ totalMs: ms, reportedMs: ms, estimatedMs: 0 });
const empty = { kind: 'tracks', by: 'plays', previousFrom: null, previousTo: null, items: [] };

/** The household's API, with Sam's play count growing by one each time the leaderboard is asked again. */
function serveHousehold() {
  let samPlays = 120;
  const board = (): Leaderboard => ({
    members: [
      { rank: 1, accountId: 'sam', displayName: 'Sam Lee', plays: samPlays++, time: time(7_200_000) },
      { rank: 2, accountId: 'alex', displayName: 'Alex Morgan', plays: 80, time: time(3_600_000) },
    ],
  });
  return mockFetch((url) => {
    switch (url.pathname) {
      case '/api/accounts':
        return json([account(), account({ id: 'sam', displayName: 'Sam Lee' })]);
      case '/api/household/stats/leaderboard':
        return json(board());
      case '/api/household/stats/affinity':
        return json({ topSize: 25, pairs: [] });
      case '/api/household/stats/top-tracks':
      case '/api/household/stats/top-artists':
      case '/api/household/stats/top-albums':
        return json(empty);
      case '/api/household/stats/heatmap':
        return json({ plays: [[0]], ms: [[0]] });
      default:
        return undefined;
    }
  });
}

function renderAt(path: string, providers = appProviders()) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/household" element={<HouseholdPage />} />
        <Route path="/accounts" element={<AccountsPage />} />
      </Routes>
    </MemoryRouter>,
    { wrapper: providers.wrapper },
  );
  return providers;
}

const samRow = () => within(screen.getByTestId('household-leaderboard')).getAllByTestId('leaderboard-row')[0]!;

describe('hub messages in the query cache', () => {
  it('refetches the household stats on the page when a member’s new plays arrive, and the page shows them', async () => {
    const fetch = serveHousehold();
    const { bus } = renderAt('/household');
    await waitFor(() => expect(screen.getByTestId('household-leaderboard')).toHaveAttribute('data-ready', 'true'));
    expect(samRow()).toHaveTextContent('120');

    act(() => bus.emit('playsAdded', { accountId: 'sam', displayName: 'Sam Lee', plays: [play('Shelter', '2026-03-01T12:03:00Z')] }));

    await waitFor(() => expect(samRow()).toHaveTextContent('121'));
    expect(calls(fetch).filter((u) => u.startsWith('/api/household/stats/leaderboard'))).toHaveLength(2);
    // The account list is not stats: it is not fetched again.
    expect(calls(fetch).filter((u) => u === '/api/accounts')).toHaveLength(1);
  });

  it('puts a changed account into the shared list without asking the server, and refetches it after a reconnect', async () => {
    const fetch = serveHousehold();
    const { bus } = renderAt('/accounts');
    const rows = await screen.findAllByTestId('account-row');
    expect(rows).toHaveLength(2);

    act(() => bus.emit('accountChanged', account({ id: 'sam', displayName: 'Sam Lee', status: 'needs-reauth', statusDetail: 'Spotify revoked the refresh token' })));

    await waitFor(() => expect(screen.getAllByTestId('account-row')[1]).toHaveTextContent('Needs sign-in'));
    expect(calls(fetch).filter((u) => u === '/api/accounts')).toHaveLength(1);

    await act(async () => bus.resync());
    await waitFor(() => expect(calls(fetch).filter((u) => u === '/api/accounts')).toHaveLength(2));
  });

  it('fetches /api/accounts once for every page that shows it', async () => {
    const fetch = serveHousehold();
    const providers = appProviders();
    const first = render(
      <MemoryRouter initialEntries={['/accounts']}>
        <AccountsPage />
      </MemoryRouter>,
      { wrapper: providers.wrapper },
    );
    await screen.findAllByTestId('account-row');
    first.unmount();

    renderAt('/household', providers);
    await waitFor(() => expect(screen.getByTestId('household-leaderboard')).toHaveAttribute('data-ready', 'true'));
    expect(screen.queryByTestId('private-note')).toBeNull();
    expect(calls(fetch).filter((u) => u === '/api/accounts')).toHaveLength(1);
  });
});
