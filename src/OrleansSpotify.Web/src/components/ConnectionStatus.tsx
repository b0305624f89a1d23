import { useLive } from '../lib/live';

const labels = {
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
} as const;

/** The hub connection's state: "Live" when updates flow, otherwise what it is doing about it. */
export function ConnectionStatus() {
  const { status } = useLive();
  if (status === 'off') {
    return null;
  }
  return (
    <span className={`connection connection-${status}`} role="status" data-testid="connection-status" title={status === 'live' ? 'Updates arrive as they happen' : 'Trying to reach the server; the page refreshes when it is back'}>
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{labels[status]}</span>
    </span>
  );
}
