import { Fragment, type CSSProperties } from 'react';
import { TopItem, topItemKey } from '../../components/TopItem';
import { formatHours, formatNumber } from '../../lib/format';
import type { Affinity, Leaderboard, TopEntry, TopList, TopOrder } from '../../lib/types';

/** Display names by account id; an id nobody names is shown as itself. */
export type Names = ReadonlyMap<string, string>;

const nameOf = (names: Names, id: string) => names.get(id) ?? id;
const percent = (value: number) => `${Math.round(value * 100)}%`;

/** Listening time and plays per sharing member, with a bar relative to the member who listened most. */
export function LeaderboardTable({ board }: { board: Leaderboard }) {
  const max = Math.max(1, ...board.members.map((m) => m.time.totalMs));
  const totalMs = board.members.reduce((sum, m) => sum + m.time.totalMs, 0);
  const totalPlays = board.members.reduce((sum, m) => sum + m.plays, 0);
  return (
    <div className="heatmap-scroll">
      <table className="leaderboard">
        <caption className="sr-only">Listening time and plays per member</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Member</th>
            <th scope="col">Listening time</th>
            <th scope="col" className="num">
              Plays
            </th>
            <th scope="col" className="num leaderboard-share">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {board.members.map((m) => (
            <tr key={m.accountId} data-testid="leaderboard-row">
              <td className="top-rank">{m.rank}</td>
              <th scope="row" className="leaderboard-name">
                {m.displayName}
              </th>
              <td>
                <span className="leaderboard-time">
                  <span className="leaderboard-track" aria-hidden="true">
                    <span className="leaderboard-bar" style={{ width: `${(m.time.totalMs / max) * 100}%` }} />
                  </span>
                  <span className="leaderboard-value">{formatHours(m.time.totalMs)}</span>
                </span>
              </td>
              <td className="num">{formatNumber(m.plays)}</td>
              <td className="num leaderboard-share">{percent(totalMs > 0 ? m.time.totalMs / totalMs : 0)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td />
            <th scope="row">Together</th>
            <td className="leaderboard-value">{formatHours(totalMs)}</td>
            <td className="num">{formatNumber(totalPlays)}</td>
            <td className="num leaderboard-share">100%</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/**
 * Who shares taste with whom: a member × member matrix of the overlap of their top artists (the cell's title and
 * label add the tracks' overlap), then the closest pairs with the artists they share.
 */
export function AffinityMatrix({ affinity, members, names }: { affinity: Affinity; members: string[]; names: Names }) {
  const pairOf = (a: string, b: string) => affinity.pairs.find((p) => (p.accountA === a && p.accountB === b) || (p.accountA === b && p.accountB === a));
  const strongest = Math.max(0.01, ...affinity.pairs.map((p) => p.artists));
  const closest = affinity.pairs.toSorted((x, y) => y.artists - x.artists || y.tracks - x.tracks).slice(0, 3);
  return (
    <>
      <div className="heatmap-scroll">
        <table className="affinity">
          <caption className="sr-only">Overlap of each pair of members' top {affinity.topSize} artists</caption>
          <thead>
            <tr>
              <td />
              {members.map((id) => (
                <th key={id} scope="col">
                  {nameOf(names, id)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {members.map((row) => (
              <tr key={row}>
                <th scope="row">{nameOf(names, row)}</th>
                {members.map((col) => {
                  if (row === col) {
                    return (
                      <td key={col} className="affinity-self" aria-label="same member">
                        —
                      </td>
                    );
                  }
                  const pair = pairOf(row, col);
                  const label = pair
                    ? `${nameOf(names, row)} and ${nameOf(names, col)}: ${percent(pair.artists)} of top artists, ${percent(pair.tracks)} of top tracks in common`
                    : 'no data';
                  return (
                    <td key={col} className="affinity-cell" style={{ '--v': (pair?.artists ?? 0) / strongest } as CSSProperties} title={label} aria-label={label}>
                      {pair ? percent(pair.artists) : '–'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 className="list-title">Closest tastes</h3>
      <ol className="plain-list" data-testid="affinity-pairs">
        {closest.map((p) => (
          <li key={`${p.accountA}-${p.accountB}`}>
            <span>
              {nameOf(names, p.accountA)} &amp; {nameOf(names, p.accountB)}{' '}
              <span className="muted">
                · {percent(p.artists)} artists · {percent(p.tracks)} tracks
              </span>
            </span>
            <span className="muted">{p.sharedArtists.length ? `Both love ${p.sharedArtists.slice(0, 4).join(', ')}` : 'No top artist in common'}</span>
          </li>
        ))}
      </ol>
      <p className="fine-print">Overlap of each pair's top {affinity.topSize} artists and tracks in the period (100% is the same top list).</p>
    </>
  );
}

/** A household top list: each entry with who contributed how many plays. */
export function HouseholdTopList({ list, by, names }: { list: TopList; by: TopOrder; names: Names }) {
  return (
    <ol className="top-list">
      {list.items.map((entry) => (
        <TopItem key={topItemKey(entry)} entry={entry} by={by} className="household-top-item" details={<Contributors entry={entry} names={names} />} />
      ))}
    </ol>
  );
}

function Contributors({ entry, names }: { entry: TopEntry; names: Names }) {
  if (!entry.contributors?.length) {
    return null;
  }
  return (
    <span className="contributors" data-testid="contributors">
      <span className="sr-only">Played by </span>
      {entry.contributors.map((c, i) => (
        <Fragment key={c.accountId}>
          {i > 0 ? (
            <>
              {' '}
              <span aria-hidden="true">·</span>{' '}
            </>
          ) : null}
          <span className="contributor" data-account={c.accountId}>
            {nameOf(names, c.accountId)} {formatNumber(c.plays)}
          </span>
        </Fragment>
      ))}
    </span>
  );
}
