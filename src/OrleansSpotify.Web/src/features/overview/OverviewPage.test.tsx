import { act, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, calls } from '../../test/fetch';
import { live, nowPlaying, play } from '../../test/fixtures';
import { appProviders } from '../../test/query';
import { OverviewPage } from './OverviewPage';

function setup() {
  const providers = appProviders();
  const fetch = mockFetch((url) => {
    if (url.pathname === '/api/household/now-playing') {
      return json([live(), live({ accountId: 'sam', displayName: 'Sam Rivera', state: 'idle', item: null, since: null })]);
    }
    if (url.pathname === '/api/household/plays') {
      return json([{ accountId: 'alex', displayName: 'Alex Morgan', play: play('Let It Rain', '2026-03-01T11:50:00Z') }]);
    }
    return undefined;
  });
  render(
    <MemoryRouter>
      <OverviewPage />
    </MemoryRouter>,
    { wrapper: providers.wrapper },
  );
  return { ...providers, fetch };
}

function card(accountId: string): HTMLElement {
  return screen.getAllByTestId('now-playing-card').find((c) => c.dataset.accountId === accountId)!;
}

describe('OverviewPage', () => {
  it('shows a card per member and the latest plays', async () => {
    setup();
    expect(await screen.findAllByTestId('now-playing-card')).toHaveLength(2);
    expect(within(card('alex')).getByTestId('now-playing-track')).toHaveTextContent('Night Again');
    expect(within(card('sam')).getByTestId('now-playing-state')).toHaveTextContent('Idle');
    expect(within(screen.getByTestId('plays-feed')).getAllByTestId('feed-item')).toHaveLength(1);
  });

  it('applies nowPlaying and playsAdded hub messages as they arrive', async () => {
    const { bus } = setup();
    await screen.findAllByTestId('now-playing-card');
    // The messages go into the query cache, whose observers are told on the next tick.
    act(() =>
      bus.emit('nowPlaying', live({ accountId: 'sam', displayName: 'Sam Rivera', item: nowPlaying({ name: 'Shelter', artists: ['Elliot'] }) })),
    );
    await waitFor(() => expect(within(card('sam')).getByTestId('now-playing-state')).toHaveTextContent('Playing'));
    expect(within(card('sam')).getByTestId('now-playing-track')).toHaveTextContent('Shelter');

    act(() => bus.emit('playsAdded', { accountId: 'sam', displayName: 'Sam Rivera', plays: [play('Shelter', '2026-03-01T12:03:00Z')] }));
    await waitFor(() => expect(within(screen.getByTestId('plays-feed')).getAllByTestId('feed-item')).toHaveLength(2));
    expect(within(screen.getByTestId('plays-feed')).getAllByTestId('feed-item')[0]).toHaveTextContent('Shelter');
  });

  it('refetches the REST state after the hub reconnects', async () => {
    const { bus, fetch } = setup();
    await screen.findAllByTestId('now-playing-card');
    const before = calls(fetch).filter((u) => u.startsWith('/api/household/now-playing')).length;
    await act(async () => bus.resync());
    await waitFor(() => expect(calls(fetch).filter((u) => u.startsWith('/api/household/now-playing')).length).toBe(before + 1));
  });

  it('shows the server error with a retry', async () => {
    mockFetch(() => json({ title: 'Boom', status: 500, detail: 'The stats grain is not answering.' }, 500));
    render(
      <MemoryRouter>
        <OverviewPage />
      </MemoryRouter>,
      { wrapper: appProviders().wrapper },
    );
    expect(await screen.findByText('The stats grain is not answering.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
