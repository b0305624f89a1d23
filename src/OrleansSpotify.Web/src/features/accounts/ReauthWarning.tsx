import { appUrl } from '../../lib/base';
import { formatDate, formatRelative } from '../../lib/format';
import type { AccountView } from '../../lib/types';
import { reauthState } from './reauth';

/** Asks a member to sign in again when Spotify stopped (or is about to stop) accepting the app's access. */
export function ReauthWarning({ account, now, isMe }: { account: AccountView; now: number; isMe: boolean }) {
  const state = reauthState(account, now);
  if (state.kind === 'ok') {
    return null;
  }
  const who = isMe ? 'Your' : `${account.displayName}'s`;
  let text: string;
  if (state.kind === 'needs-reauth') {
    text = `${who} Spotify access stopped working${account.statusDetail ? ` (${account.statusDetail})` : ''}; no plays are recorded until ${isMe ? 'you sign' : 'they sign'} in again.`;
  } else if (state.kind === 'expired') {
    text = `${who} Spotify access expired on ${formatDate(state.by)}; sign in again to keep recording.`;
  } else {
    text = `${who} Spotify access ends ${formatRelative(state.by, now)} (${formatDate(state.by)}). Sign in again before then to keep recording.`;
  }
  return (
    <div className={`reauth reauth-${state.kind}`} data-testid="reauth-warning" role={state.kind === 'soon' ? 'note' : 'alert'}>
      <span className="reauth-icon" aria-hidden="true">
        !
      </span>
      <p>{text}</p>
      <a className="button button-primary button-small" href={appUrl('/auth/login')}>
        Sign in again
      </a>
    </div>
  );
}
