import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { serveUnder } from '../../test/base';
import { account } from '../../test/fixtures';
import { addMonths, reauthState } from './reauth';
import { ReauthWarning } from './ReauthWarning';

const authorizedAt = '2026-01-10T09:00:00.000Z';
const reauthorizeBy = '2026-07-11T09:00:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('reauthState', () => {
  const a = account({ authorizedAt, reauthorizeBy });

  it('is quiet until five months after sign-in', () => {
    expect(reauthState(a, at('2026-03-01T00:00:00Z')).kind).toBe('ok');
    expect(reauthState(a, at('2026-06-10T08:59:59Z')).kind).toBe('ok');
  });

  it('warns from five months after sign-in until the refresh token dies', () => {
    expect(reauthState(a, at('2026-06-10T09:00:00Z')).kind).toBe('soon');
    expect(reauthState(a, at('2026-07-11T08:59:59Z')).kind).toBe('soon');
  });

  it('says expired from reauthorizeBy on', () => {
    expect(reauthState(a, at('2026-07-11T09:00:00Z')).kind).toBe('expired');
  });

  it('asks for sign-in at once when the account needs reauth, however recent the sign-in', () => {
    expect(reauthState(account({ status: 'needs-reauth', authorizedAt }), at('2026-01-11T00:00:00Z')).kind).toBe('needs-reauth');
  });

  it('adds calendar months, clamping to the end of shorter months', () => {
    expect(addMonths(new Date('2026-01-31T12:00:00Z'), 1).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(addMonths(new Date('2025-10-15T00:00:00Z'), 5).toISOString()).toBe('2026-03-15T00:00:00.000Z');
  });
});

describe('ReauthWarning', () => {
  it('renders nothing before five months', () => {
    const { container } = render(<ReauthWarning account={account({ authorizedAt, reauthorizeBy })} now={at('2026-05-01T00:00:00Z')} isMe />);
    expect(container).toBeEmptyDOMElement();
  });

  it('warns with the date and a sign-in link after five months', () => {
    render(<ReauthWarning account={account({ authorizedAt, reauthorizeBy })} now={at('2026-06-20T00:00:00Z')} isMe />);
    const warning = screen.getByTestId('reauth-warning');
    expect(warning).toHaveTextContent(/Your Spotify access ends in 21 days \(.*2026\)/);
    expect(screen.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', '/auth/login');
  });

  it('shows a one-click sign-in for needs-reauth with the server detail', () => {
    render(
      <ReauthWarning
        account={account({ status: 'needs-reauth', statusDetail: 'Spotify revoked the refresh token', displayName: 'Sam' })}
        now={at('2026-02-01T00:00:00Z')}
        isMe={false}
      />,
    );
    expect(screen.getByTestId('reauth-warning')).toHaveTextContent("Sam's Spotify access stopped working (Spotify revoked the refresh token)");
    expect(screen.getByRole('alert')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', '/auth/login');
  });

  it('signs in again under the sub-path the app is served from', () => {
    serveUnder('/music');
    render(<ReauthWarning account={account({ status: 'needs-reauth' })} now={at('2026-02-01T00:00:00Z')} isMe />);
    expect(screen.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', '/music/auth/login');
  });
});
