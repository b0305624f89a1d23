import { formatDateTime, formatRelative } from '../../lib/format';
import type { AccountView } from '../../lib/types';

/** When Spotify's pause of the app ends, if one holds at `now` (every account carries the same app-wide pause). */
export function spotifyPause(accounts: readonly AccountView[], now: number): { resumesAt: string; reason: string | null } | null {
  const paused = accounts
    .filter((a): a is AccountView & { resumesAt: string } => a.resumesAt !== null && Date.parse(a.resumesAt) > now)
    .toSorted((a, b) => Date.parse(b.resumesAt) - Date.parse(a.resumesAt))[0];
  return paused ? { resumesAt: paused.resumesAt, reason: paused.pauseReason } : null;
}

/**
 * Says that Spotify paused the app (its quota is spent, or it asked to wait) and when recording resumes: nothing is
 * sent to Spotify before then, for any member; plays made meanwhile are read back from recently-played afterwards.
 */
export function SpotifyPauseNotice({ accounts, now }: { accounts: readonly AccountView[]; now: number }) {
  const pause = spotifyPause(accounts, now);
  if (!pause) {
    return null;
  }
  const why = pause.reason === 'quota-exceeded' ? "Spotify's API quota for this app is spent" : 'Spotify asked the app to wait';
  return (
    <div className="reauth reauth-soon" data-testid="spotify-pause" role="status">
      <span className="reauth-icon" aria-hidden="true">
        !
      </span>
      <p>
        {why}: no member is polled until it resumes at{' '}
        <time dateTime={pause.resumesAt} title={formatRelative(pause.resumesAt, now)}>
          {formatDateTime(pause.resumesAt)}
        </time>{' '}
        ({formatRelative(pause.resumesAt, now)}). Plays made meanwhile are read back from Spotify's history then.
      </p>
    </div>
  );
}
