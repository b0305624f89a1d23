import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { serveUnder } from '../test/base';
import { calls, json, mockFetch } from '../test/fetch';
import { App } from './App';

vi.mock('../lib/hub', () => ({ connectLive: () => ({ on: () => () => {}, stop: async () => {} }) }));

describe('App', () => {
  it('welcomes a signed-out visitor with a Spotify sign-in link and the demo badge', async () => {
    mockFetch((url) => {
      if (url.pathname === '/api/info') {
        return json({ name: 'OrleansSpotify', version: '1.0.0', demo: true });
      }
      if (url.pathname === '/api/me') {
        return json({ title: 'Unauthorized', status: 401 }, 401);
      }
      return undefined;
    });
    render(<App />);
    const signIn = await screen.findByTestId('sign-in');
    expect(signIn).toHaveAttribute('href', '/auth/login');
    expect(signIn).toHaveTextContent('Sign in with Spotify');
    expect(screen.getByTestId('demo-badge')).toHaveTextContent('Demo data');
    expect(screen.getByRole('main')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Skip to content' })).toHaveAttribute('href', '#main');
  });

  it('has no demo badge on real data', async () => {
    mockFetch((url) =>
      url.pathname === '/api/info' ? json({ name: 'OrleansSpotify', version: '1.0.0', demo: false }) : json({ title: 'Unauthorized', status: 401 }, 401),
    );
    render(<App />);
    await screen.findByTestId('sign-in');
    expect(screen.queryByTestId('demo-badge')).not.toBeInTheDocument();
  });

  it('shows the overview to a signed-in member', async () => {
    mockFetch((url) => {
      switch (url.pathname) {
        case '/api/info':
          return json({ name: 'OrleansSpotify', version: '1.0.0', demo: false });
        case '/api/me':
          return json({ id: 'alex', displayName: 'Alex Morgan' });
        case '/api/household/now-playing':
        case '/api/household/plays':
          return json([]);
        default:
          return undefined;
      }
    });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Now playing' })).toBeInTheDocument();
    expect(await screen.findByText(/No plays yet/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'My stats' })).toHaveAttribute('href', '/accounts/alex');
    expect(screen.getByRole('button', { name: 'Sign out' }).closest('form')).toHaveAttribute('action', '/auth/logout');
  });

  describe('under a sub-path', () => {
    it('signs in through the sub-path and calls the API under it', async () => {
      serveUnder('/music');
      const fetch = mockFetch((url) => {
        if (url.pathname === '/music/api/info') {
          return json({ name: 'OrleansSpotify', version: '1.0.0', demo: true });
        }
        return url.pathname === '/music/api/me' ? json({ title: 'Unauthorized', status: 401 }, 401) : undefined;
      });
      render(<App />);
      expect(await screen.findByTestId('sign-in')).toHaveAttribute('href', '/music/auth/login');
      expect(screen.getByTestId('demo-badge')).toBeInTheDocument();
      expect(calls(fetch).toSorted()).toEqual(['/music/api/info', '/music/api/me']);
      expect(screen.getByRole('link', { name: 'API' })).toHaveAttribute('href', '/music/openapi/v1.json');
    });

    it('routes a deep link under the sub-path and links every page, the sign-out form too, under it', async () => {
      serveUnder('/music', '/accounts');
      const fetch = mockFetch((url) => {
        switch (url.pathname) {
          case '/music/api/info':
            return json({ name: 'OrleansSpotify', version: '1.0.0', demo: false });
          case '/music/api/me':
            return json({ id: 'alex', displayName: 'Alex Morgan' });
          case '/music/api/accounts':
            return json([]);
          default:
            return undefined;
        }
      });
      render(<App />);
      // /music/accounts is the Accounts page (the router's basename), not "nothing at this address".
      expect(await screen.findByRole('heading', { name: 'Accounts', level: 1 })).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'My stats' })).toHaveAttribute('href', '/music/accounts/alex');
      expect(screen.getByRole('link', { name: 'Overview' })).toHaveAttribute('href', '/music');
      expect(screen.getByRole('button', { name: 'Sign out' }).closest('form')).toHaveAttribute('action', '/music/auth/logout');
      // The accounts query is sent once the page has mounted, not necessarily before its heading renders.
      await waitFor(() => expect(calls(fetch)).toContain('/music/api/accounts'));
      expect(calls(fetch).every((url) => url.startsWith('/music/api/'))).toBe(true);
    });
  });
});
