import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { account } from '../../test/fixtures';
import { AccountRow } from './AccountsPage';
import { spotifyPause, SpotifyPauseNotice } from './SpotifyPause';

const now = Date.parse('2026-03-01T12:00:00.000Z');
const resumesAt = '2026-03-01T14:30:00.000Z';

describe('spotifyPause', () => {
  it('is the pause the accounts carry while it lasts', () => {
    const accounts = [account({ id: 'a' }), account({ id: 'b', resumesAt, pauseReason: 'quota-exceeded' })];
    expect(spotifyPause(accounts, now)).toEqual({ resumesAt, reason: 'quota-exceeded' });
  });

  it('is nothing once it has ended, or when none holds', () => {
    expect(spotifyPause([account({ resumesAt, pauseReason: 'rate-limit' })], Date.parse(resumesAt))).toBeNull();
    expect(spotifyPause([account()], now)).toBeNull();
  });
});

describe('SpotifyPauseNotice', () => {
  it('says why and when recording resumes', () => {
    render(<SpotifyPauseNotice accounts={[account({ resumesAt, pauseReason: 'quota-exceeded' })]} now={now} />);
    // The leading '!' is the notice's icon (hidden from assistive technology).
    const notice = screen.getByTestId('spotify-pause');
    expect(notice).toHaveTextContent(/^!Spotify's API quota for this app is spent: no member is polled until it resumes at .+ \(in 3 hours\)\./);
    expect(notice.querySelector('time')).toHaveAttribute('dateTime', resumesAt);
  });

  it('names a Retry-After pause as a wait', () => {
    render(<SpotifyPauseNotice accounts={[account({ resumesAt, pauseReason: 'rate-limit' })]} now={now} />);
    expect(screen.getByTestId('spotify-pause')).toHaveTextContent(/^!Spotify asked the app to wait/);
  });

  it('renders nothing without a pause', () => {
    const { container } = render(<SpotifyPauseNotice accounts={[account()]} now={now} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('AccountRow', () => {
  it('shows "resumes at" while Spotify has paused the app, and not after', async () => {
    const { MemoryRouter } = await import('react-router');
    const paused = account({ resumesAt, pauseReason: 'quota-exceeded' });
    const { rerender } = render(
      <MemoryRouter>
        <AccountRow account={paused} isMe now={now} />
      </MemoryRouter>,
    );
    expect(screen.getByTestId('account-resumes-at')).toHaveTextContent(/^Spotify pausedresumes at /);
    expect(screen.getByTestId('account-resumes-at').querySelector('time')).toHaveAttribute('dateTime', resumesAt);
    rerender(
      <MemoryRouter>
        <AccountRow account={paused} isMe now={Date.parse(resumesAt) + 1} />
      </MemoryRouter>,
    );
    expect(screen.queryByTestId('account-resumes-at')).toBeNull();
  });
});
