import { Link } from 'react-router';
import { Empty, ErrorState, Loading } from '../../components/States';
import { enc } from '../../lib/api';
import { formatDate, formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { useAccounts, useReplaceAccount } from '../../lib/query';
import { useSession } from '../../lib/session';
import type { AccountView } from '../../lib/types';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useNow } from '../../lib/useNow';
import { ExportLinks } from './ExportLinks';
import { MySettings } from './MySettings';
import { ReauthWarning } from './ReauthWarning';
import { ShareTokens } from './ShareTokens';
import { SpotifyPauseNotice } from './SpotifyPause';

const statusLabels: Record<string, string> = {
  active: 'Recording',
  'needs-reauth': 'Needs sign-in',
  blocked: 'Blocked',
};

export function AccountRow({ account, isMe, now }: { account: AccountView; isMe: boolean; now: number }) {
  return (
    <li className="account-row" data-testid="account-row" data-account-id={account.id}>
      <div className="account-head">
        <h3 className="account-name">
          {account.displayName}
          {isMe ? <span className="muted"> (you)</span> : null}
        </h3>
        <span className={`pill pill-status-${account.status}`}>{statusLabels[account.status] ?? account.status}</span>
        {!account.shareStats ? <span className="pill pill-private">Private</span> : null}
      </div>
      {account.statusDetail && account.status !== 'needs-reauth' ? <p className="muted">{account.statusDetail}</p> : null}
      <dl className="account-facts">
        <div>
          <dt>Plays</dt>
          <dd>{account.playCount === null ? <span className="muted">Private</span> : formatNumber(account.playCount)}</dd>
        </div>
        <div>
          <dt>Last successful poll</dt>
          <dd>
            {account.lastSuccessfulPoll ? (
              <time dateTime={account.lastSuccessfulPoll} title={formatDateTime(account.lastSuccessfulPoll)}>
                {formatRelative(account.lastSuccessfulPoll, now)}
              </time>
            ) : (
              'Never'
            )}
          </dd>
        </div>
        {account.resumesAt && Date.parse(account.resumesAt) > now ? (
          <div data-testid="account-resumes-at">
            <dt>Spotify paused</dt>
            <dd>
              resumes at{' '}
              <time dateTime={account.resumesAt} title={formatRelative(account.resumesAt, now)}>
                {formatDateTime(account.resumesAt)}
              </time>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Signed in</dt>
          <dd>{formatDate(account.authorizedAt)}</dd>
        </div>
        <div>
          <dt>Sign in again by</dt>
          <dd>{formatDate(account.reauthorizeBy)}</dd>
        </div>
      </dl>
      <ReauthWarning account={account} now={now} isMe={isMe} />
      {account.shareStats || isMe ? (
        <p className="account-links">
          <Link to={`/accounts/${enc(account.id)}`}>Stats</Link>
          <Link to={`/accounts/${enc(account.id)}/history`}>History</Link>
          {isMe ? (
            <Link to={`/accounts/${enc(account.id)}/import`} data-testid="import-link">
              Import history
            </Link>
          ) : null}
        </p>
      ) : null}
      {isMe ? <ExportLinks path={`/api/accounts/${enc(account.id)}/export`} label="Export my plays" /> : null}
    </li>
  );
}

export default function AccountsPage() {
  useDocumentTitle('Accounts');
  const { me } = useSession();
  const now = useNow(30_000);
  // The shared list: the hub's accountChanged messages and reconnects keep it current (lib/liveCache.ts).
  const resource = useAccounts();
  const accounts = resource.data;
  const replace = useReplaceAccount();

  const mine = accounts?.find((a) => a.id === me?.id);

  return (
    <div className="accounts">
      <div className="page-head">
        <div>
          <p className="eyebrow">Household</p>
          <h1>Accounts</h1>
        </div>
      </div>
      {accounts ? <SpotifyPauseNotice accounts={accounts} now={now} /> : null}
      {resource.isError ? <ErrorState error={resource.error} onRetry={() => void resource.refetch()} title="Could not load the accounts" /> : null}
      {resource.isPending ? <Loading /> : null}
      {accounts?.length === 0 ? <Empty>No accounts yet.</Empty> : null}
      {accounts?.length ? (
        <ul className="account-list">
          {accounts.map((account) => (
            <AccountRow key={account.id} account={account} isMe={account.id === me?.id} now={now} />
          ))}
        </ul>
      ) : null}
      {me ? <ExportLinks path="/api/household/export" label="Export the household's shared plays" /> : null}
      {mine ? <MySettings account={mine} onChanged={replace} /> : null}
      {me ? <ShareTokens now={now} /> : null}
    </div>
  );
}
