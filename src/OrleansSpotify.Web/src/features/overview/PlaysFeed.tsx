import { Link } from 'react-router';
import { Cover } from '../../components/Cover';
import { formatDateTime, formatRelative } from '../../lib/format';
import type { FeedItemView } from '../../lib/types';
import { useNow } from '../../lib/useNow';

/** The household's latest plays, newest first; new ones arrive through the hub. */
export function PlaysFeed({ items }: { items: FeedItemView[] }) {
  const now = useNow(30_000);
  if (items.length === 0) {
    return (
      <p className="state state-empty" data-testid="plays-feed">
        No plays yet. Plays appear here a few minutes after a track ends.
      </p>
    );
  }
  return (
    <ol className="feed" data-testid="plays-feed" aria-live="polite" aria-relevant="additions">
      {items.map((item) => (
        <li key={`${item.accountId}|${item.play.playedAt}|${item.play.track.uri}`} className="feed-item" data-testid="feed-item">
          <Cover src={item.play.track.imageUrl} size={44} />
          <div className="feed-text">
            <span className="feed-track">{item.play.track.name}</span>
            <span className="feed-meta">
              {item.play.track.artists.map((a) => a.name).join(', ')}
            </span>
            <span className="feed-meta">
              <Link to={`/accounts/${encodeURIComponent(item.accountId)}`}>{item.displayName}</Link>
              {' · '}
              <time dateTime={item.play.playedAt} title={formatDateTime(item.play.playedAt)}>
                {formatRelative(item.play.playedAt, now)}
              </time>
            </span>
          </div>
        </li>
      ))}
    </ol>
  );
}
