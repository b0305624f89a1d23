import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { calls, json, mockFetch } from '../../test/fetch';
import { play } from '../../test/fixtures';
import { appProviders } from '../../test/query';
import HistoryPage from './HistoryPage';
import { nextUrl } from './useHistory';

/** A controllable IntersectionObserver: tests decide when the sentinel comes into view. */
class FakeObserver {
  static instances: FakeObserver[] = [];
  readonly callback: IntersectionObserverCallback;
  disconnected = false;
  constructor(callback: IntersectionObserverCallback) {
    this.callback = callback;
    FakeObserver.instances.push(this);
  }
  observe() {}
  unobserve() {}
  disconnect() {
    this.disconnected = true;
  }
  takeRecords() {
    return [];
  }
  static intersect() {
    const live = FakeObserver.instances.filter((o) => !o.disconnected);
    for (const observer of live) {
      observer.callback([{ isIntersecting: true } as IntersectionObserverEntry], observer as unknown as IntersectionObserver);
    }
    return live.length;
  }
}

const base = '/api/accounts/alex/plays';
const page1 = [play('Let It Rain', '2026-03-01T12:00:00Z'), play('Night Again', '2026-03-01T11:50:00Z')];
const page2 = [play('Paper Heart', '2026-02-28T20:00:00Z')];

function serve() {
  return mockFetch((url) => {
    if (url.pathname === '/api/accounts') {
      return json([{ id: 'alex', displayName: 'Alex Morgan' }]);
    }
    if (url.pathname !== base) {
      return undefined;
    }
    const q = url.searchParams.get('q');
    if (q) {
      const items = [...page1, ...page2].filter((p) => p.track.name.toLowerCase().includes(q.toLowerCase()));
      return json({ items, nextBefore: null, next: null });
    }
    if (!url.searchParams.get('before')) {
      return json({ items: page1, nextBefore: page1[1]!.playedAt, next: `${base}?limit=50&before=${encodeURIComponent(page1[1]!.playedAt)}` });
    }
    return json({ items: page2, nextBefore: null, next: null });
  });
}

function renderPage(path = '/accounts/alex/history') {
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/accounts/:id/history" element={<HistoryPage />} />
      </Routes>
    </MemoryRouter>,
    { wrapper: appProviders().wrapper },
  );
}

describe('HistoryPage', () => {
  beforeEach(() => {
    FakeObserver.instances = [];
    vi.stubGlobal('IntersectionObserver', FakeObserver);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('loads the next page when the end of the list scrolls into view, then stops after the last page', async () => {
    const fetch = serve();
    renderPage();
    expect(await screen.findAllByTestId('history-row')).toHaveLength(2);

    await act(async () => {
      FakeObserver.intersect();
    });
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(3));
    expect(screen.getByText(/That's all — 3 plays/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();

    // No next page: the sentinel is no longer watched, and more scrolling fetches nothing.
    await act(async () => {
      expect(FakeObserver.intersect()).toBe(0);
    });
    const pageCalls = calls(fetch).filter((u) => u.startsWith(base));
    expect(pageCalls).toEqual([`${base}?limit=50`, `${base}?limit=50&before=${encodeURIComponent(page1[1]!.playedAt)}`]);
  });

  it('has a Load more button for when scrolling does not trigger', async () => {
    serve();
    renderPage();
    await screen.findAllByTestId('history-row');
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(3));
  });

  it('searches after typing stops, starting again from the newest play', async () => {
    const fetch = serve();
    renderPage();
    await screen.findAllByTestId('history-row');
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(3));

    await userEvent.type(screen.getByRole('searchbox'), 'heart');
    await waitFor(() => expect(screen.getAllByTestId('history-row')).toHaveLength(1));
    expect(screen.getByTestId('history-row')).toHaveTextContent('Paper Heart');

    const searches = calls(fetch).filter((u) => u.includes('q='));
    // Debounced: one request for the whole word, and from the first page (no `before`).
    expect(searches).toEqual([`${base}?limit=50&q=heart`]);
  });

  it('says when nothing matches', async () => {
    serve();
    renderPage('/accounts/alex/history?q=zzz');
    expect(await screen.findByText('No plays match “zzz”.')).toBeInTheDocument();
    expect(screen.getByRole('searchbox')).toHaveValue('zzz');
  });

  it('shows a private member’s refusal without a retry', async () => {
    mockFetch((url) =>
      url.pathname === base ? json({ title: 'Private stats', status: 403, detail: 'Sam keeps their stats private.' }, 403) : undefined,
    );
    renderPage();
    expect(await screen.findByText('Sam keeps their stats private.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });
});

describe('nextUrl', () => {
  it('keeps the search on the server’s next link', () => {
    expect(nextUrl('/api/accounts/a/plays?limit=50&before=x', 'rain')).toBe('/api/accounts/a/plays?limit=50&before=x&q=rain');
    expect(nextUrl('/api/accounts/a/plays?q=rain&before=x', 'rain')).toBe('/api/accounts/a/plays?q=rain&before=x');
    expect(nextUrl('/api/accounts/a/plays?before=x', '')).toBe('/api/accounts/a/plays?before=x');
  });
});
