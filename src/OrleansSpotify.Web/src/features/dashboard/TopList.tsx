import { TopItem, topItemKey } from '../../components/TopItem';
import type { TopList as TopListData, TopOrder } from '../../lib/types';
import { rankChange, type RankChange } from './rankChange';

function Marker({ change, previousRank }: { change: RankChange; previousRank: number | null }) {
  switch (change.kind) {
    case 'up':
      return (
        <span className="marker marker-up" title={`Up from #${previousRank}`} aria-label={`up ${change.places}, was number ${previousRank}`}>
          ↑{change.places}
        </span>
      );
    case 'down':
      return (
        <span className="marker marker-down" title={`Down from #${previousRank}`} aria-label={`down ${change.places}, was number ${previousRank}`}>
          ↓{change.places}
        </span>
      );
    case 'new':
      return (
        <span className="marker marker-new" title="Not played in the previous period" aria-label="new">
          new
        </span>
      );
    case 'same':
      return (
        <span className="marker marker-same" title="Same place as in the previous period" aria-label="same place">
          =
        </span>
      );
  }
}

/** A ranked list with the value it is ranked by and, when a previous period exists, how each entry moved. */
export function TopList({ list, by }: { list: TopListData; by: TopOrder }) {
  const showMarkers = list.previousFrom !== null;
  return (
    <ol className="top-list">
      {list.items.map((entry) => (
        <TopItem key={topItemKey(entry)} entry={entry} by={by} marker={showMarkers ? <Marker change={rankChange(entry)} previousRank={entry.previousRank} /> : null} />
      ))}
    </ol>
  );
}
