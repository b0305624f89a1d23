import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { live, nowPlaying } from '../test/fixtures';
import { NowPlayingCard } from './NowPlayingCard';

const observedAt = '2026-03-01T12:00:00.000Z';

function position(): number {
  return Number(screen.getByRole('progressbar').getAttribute('aria-valuenow'));
}

describe('NowPlayingCard', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(observedAt));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the track, artists and "Playing" with the hooks the browser tests use', () => {
    render(<NowPlayingCard live={live({ item: nowPlaying({ artists: ['A', 'B'] }) })} />);
    const card = screen.getByTestId('now-playing-card');
    expect(card).toHaveAttribute('data-account-id', 'alex');
    expect(screen.getByTestId('now-playing-state')).toHaveTextContent(/^Playing$/);
    expect(screen.getByTestId('now-playing-track')).toHaveTextContent('Night Again');
    expect(screen.getByTestId('now-playing-artists')).toHaveTextContent('A, B');
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuemax', '200000');
  });

  it('advances the progress bar between updates while playing', () => {
    render(<NowPlayingCard live={live({ item: nowPlaying({ progressMs: 60_000, observedAt }) })} />);
    expect(position()).toBe(60_000);
    act(() => vi.advanceTimersByTime(1_000));
    expect(position()).toBe(61_000);
    act(() => vi.advanceTimersByTime(9_000));
    expect(position()).toBe(70_000);
  });

  it('counts from observedAt, so an update observed a while ago starts further along', () => {
    vi.setSystemTime(new Date(Date.parse(observedAt) + 5_000));
    render(<NowPlayingCard live={live({ item: nowPlaying({ progressMs: 60_000, observedAt }) })} />);
    expect(position()).toBe(65_000);
  });

  it('never runs past the end of the track', () => {
    render(<NowPlayingCard live={live({ item: nowPlaying({ progressMs: 199_000, durationMs: 200_000, observedAt }) })} />);
    act(() => vi.advanceTimersByTime(10_000));
    expect(position()).toBe(200_000);
  });

  it('does not advance while paused and says since when', () => {
    render(
      <NowPlayingCard
        live={live({ state: 'paused', since: '2026-03-01T11:55:00.000Z', item: nowPlaying({ isPlaying: false, progressMs: 90_000, observedAt }) })}
      />,
    );
    expect(screen.getByTestId('now-playing-state')).toHaveTextContent(/^Paused$/);
    act(() => vi.advanceTimersByTime(30_000));
    expect(position()).toBe(90_000);
    expect(screen.getByText(/Paused since .*\(5 minutes ago\)/)).toBeInTheDocument();
  });

  it('starts advancing when a paused item resumes', () => {
    const paused = live({ state: 'paused', item: nowPlaying({ isPlaying: false, progressMs: 90_000, observedAt }) });
    const { rerender } = render(<NowPlayingCard live={paused} />);
    act(() => vi.advanceTimersByTime(2_000));
    rerender(<NowPlayingCard live={live({ item: nowPlaying({ progressMs: 90_000, observedAt: new Date().toISOString() }) })} />);
    act(() => vi.advanceTimersByTime(3_000));
    expect(position()).toBe(93_000);
  });

  it('shows "Idle since" with a relative time and no track', () => {
    render(<NowPlayingCard live={live({ state: 'idle', since: '2026-03-01T10:00:00.000Z', item: null })} />);
    expect(screen.getByTestId('now-playing-state')).toHaveTextContent(/^Idle$/);
    expect(screen.getByText('Nothing playing')).toBeInTheDocument();
    expect(screen.queryByTestId('now-playing-track')).not.toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getByText(/Idle since .*\(2 hours ago\)/)).toBeInTheDocument();
  });

  it('says so when an idle account has never played anything', () => {
    render(<NowPlayingCard live={live({ state: 'idle', since: null, item: null })} />);
    expect(screen.getByText('Idle — no plays recorded yet')).toBeInTheDocument();
  });

  it('announces what plays in a polite live region', () => {
    render(<NowPlayingCard live={live()} />);
    const region = screen.getByText(/Alex Morgan: Playing Night Again by The Paper Pilots/);
    expect(region).toHaveAttribute('aria-live', 'polite');
  });
});
