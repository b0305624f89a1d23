import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { serveUnder } from '../../test/base';
import { calls, json, mockFetch } from '../../test/fetch';
import { live, play } from '../../test/fixtures';
import { EmbedPage, tokenFromPath } from './EmbedPage';

const hub = vi.hoisted(() => ({ connectLive: vi.fn() }));
vi.mock('../../lib/hub', () => hub);

describe('EmbedPage', () => {
  beforeEach(() => {
    hub.connectLive.mockReset();
    hub.connectLive.mockImplementation(() => ({ on: () => () => {}, stop: async () => {} }));
  });

  it('says honestly that an unknown or revoked token is not valid, and does not connect', async () => {
    mockFetch(() => json({ title: 'Unknown share link', status: 404, detail: 'No such token.' }, 404));
    render(<EmbedPage token="revoked" showRecent={false} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('This share link is not valid.');
    expect(screen.queryByTestId('embed-card')).not.toBeInTheDocument();
    expect(hub.connectLive).not.toHaveBeenCalled();
  });

  it('offers a retry on other errors', async () => {
    mockFetch(() => json({ title: 'Oops', status: 503, detail: 'Starting up, try again shortly.' }, 503));
    render(<EmbedPage token="t" showRecent={false} />);
    expect(await screen.findByText('Starting up, try again shortly.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('shows the card, then connects to the hub with the share token', async () => {
    mockFetch((url) =>
      url.pathname === '/api/embed/to%2Fk' || url.pathname === '/api/embed/to/k'
        ? json({ displayName: 'Alex Morgan', live: live(), recent: [play('Let It Rain', '2026-03-01T11:00:00Z')] })
        : undefined,
    );
    render(<EmbedPage token="to/k" showRecent />);
    expect(await screen.findByTestId('embed-card')).toBeInTheDocument();
    expect(screen.getByTestId('embed-track')).toHaveTextContent('Night Again');
    expect(screen.getByTestId('embed-state')).toHaveTextContent('Playing');
    expect(screen.getByText('Let It Rain')).toBeInTheDocument();
    expect(hub.connectLive).toHaveBeenCalledWith(expect.objectContaining({ url: '/hubs/listening?share=to%2Fk' }));
  });
});

describe('EmbedPage under a sub-path', () => {
  it('reads the card under the sub-path (the hub URL is made absolute by connectLive)', async () => {
    hub.connectLive.mockImplementation(() => ({ on: () => () => {}, stop: async () => {} }));
    serveUnder('/music', '/embed/now-playing/tok');
    const fetch = mockFetch((url) => (url.pathname === '/music/api/embed/tok' ? json({ displayName: 'Alex Morgan', live: live(), recent: null }) : undefined));
    render(<EmbedPage token="tok" showRecent={false} />);
    expect(await screen.findByTestId('embed-card')).toBeInTheDocument();
    expect(calls(fetch)).toEqual(['/music/api/embed/tok']);
  });
});

describe('tokenFromPath', () => {
  it('reads the token from /embed/now-playing/{token}', () => {
    expect(tokenFromPath('/embed/now-playing/abc123')).toBe('abc123');
    expect(tokenFromPath('/embed/now-playing/a%2Bb/')).toBe('a+b');
    expect(tokenFromPath('/embed/now-playing/')).toBeNull();
    expect(tokenFromPath('/accounts')).toBeNull();
  });

  it('reads it under the sub-path the page is served from, and nowhere else', () => {
    expect(tokenFromPath('/music/embed/now-playing/abc123', '/music')).toBe('abc123');
    expect(tokenFromPath('/embed/now-playing/abc123', '/music')).toBeNull();
    expect(tokenFromPath('/musical/embed/now-playing/abc123', '/music')).toBeNull();
    serveUnder('/music', '/embed/now-playing/xyz');
    expect(tokenFromPath(window.location.pathname)).toBe('xyz');
  });
});
