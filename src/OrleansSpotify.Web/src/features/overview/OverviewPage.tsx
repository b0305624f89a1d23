import { Link } from 'react-router';
import { NowPlayingCard } from '../../components/NowPlayingCard';
import { ErrorState, Loading } from '../../components/States';
import { appUrl } from '../../lib/base';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { PlaysFeed } from './PlaysFeed';
import { useOverview } from './useOverview';

export function OverviewPage() {
  useDocumentTitle('Now playing');
  const { state, query } = useOverview();
  const loaded = query.isSuccess || state.live.length > 0 || state.feed.length > 0;
  const reload = () => void query.refetch();

  return (
    <div className="overview">
      <section className="overview-live" aria-labelledby="live-heading">
        <h1 id="live-heading">Now playing</h1>
        {query.isError ? <ErrorState error={query.error} onRetry={reload} title="Could not refresh the household" /> : null}
        {!loaded && query.isPending ? <Loading label="Loading the household…" /> : null}
        {loaded && state.live.length === 0 ? (
          <p className="state state-empty">
            No accounts yet. <a href={appUrl('/auth/login')}>Sign in with Spotify</a> to add yours.
          </p>
        ) : null}
        <div className="card-grid">
          {state.live.map((live) => (
            <NowPlayingCard
              key={live.accountId}
              live={live}
              footer={
                <nav className="np-links" aria-label={`${live.displayName}'s pages`}>
                  <Link to={`/accounts/${encodeURIComponent(live.accountId)}`}>Stats</Link>
                  <Link to={`/accounts/${encodeURIComponent(live.accountId)}/history`}>History</Link>
                </nav>
              }
            />
          ))}
        </div>
      </section>
      <section className="overview-feed panel" aria-labelledby="feed-heading">
        <h2 id="feed-heading">Latest plays</h2>
        {loaded ? <PlaysFeed items={state.feed} /> : query.isPending ? <Loading /> : null}
      </section>
    </div>
  );
}
