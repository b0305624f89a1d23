import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Segmented } from '../../components/Segmented';
import { StatsToolbar, pick, useStatsParams } from '../../components/StatsControls';
import { ErrorState, Loading } from '../../components/States';
import { ApiError, enc, withQuery } from '../../lib/api';
import { formatDate, formatDateTime, formatDuration, formatHours, formatIsoDate, formatNumber, plural } from '../../lib/format';
import type {
  Discoveries,
  GenreStats,
  Heatmap,
  SessionStats,
  StreakStats,
  SummaryStats,
  Timeline,
  TimelineBucket,
  TopList as TopListData,
  YearReview,
} from '../../lib/types';
import { useAccounts, useApiQuery } from '../../lib/query';
import { useSession } from '../../lib/session';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { GenresChart, TimelineChart } from './charts';
import { GapNotices } from './GapNotices';
import { HeatmapGrid } from './HeatmapGrid';
import { Panel } from './Panel';
import { StreakCalendar } from './StreakCalendar';
import { TopList } from './TopList';

const buckets = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
] as const satisfies readonly { value: TimelineBucket; label: string }[];

function yearsBetween(first: string | null | undefined, now: Date): number[] {
  const last = now.getFullYear();
  const start = first ? Math.min(new Date(first).getFullYear(), last) : last;
  return Array.from({ length: last - start + 1 }, (_, i) => last - i);
}

function YearSelect({ id, label, years, value, onChange }: { id: string; label: string; years: number[]; value: number; onChange: (year: number) => void }) {
  return (
    <label className="select-label" htmlFor={id}>
      <span className="sr-only">{label}</span>
      <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {(years.includes(value) ? years : [value, ...years]).map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </select>
    </label>
  );
}

function SummaryTiles({ summary }: { summary: SummaryStats }) {
  const estimated = summary.time.estimatedMs > 0;
  const tiles = [
    { label: 'Plays', value: formatNumber(summary.plays) },
    { label: 'Listening time', value: formatHours(summary.time.totalMs), note: estimated ? 'partly estimated' : undefined },
    { label: 'Tracks', value: formatNumber(summary.distinctTracks) },
    { label: 'Artists', value: formatNumber(summary.distinctArtists) },
    { label: 'Albums', value: formatNumber(summary.distinctAlbums) },
    { label: 'Per day', value: formatDuration(summary.msPerDay), note: `${formatNumber(Math.round(summary.playsPerDay * 10) / 10)} plays` },
  ];
  return (
    <>
      <dl className="tiles">
        {tiles.map((tile) => (
          <div key={tile.label} className="tile">
            <dt>{tile.label}</dt>
            <dd>
              {tile.value}
              {tile.note ? <span className="tile-note">{tile.note}</span> : null}
            </dd>
          </div>
        ))}
      </dl>
      {estimated ? (
        <p className="fine-print">
          Listening time counts whole track lengths where Spotify reports only that a track was played (
          {formatDuration(summary.time.estimatedMs)} of {formatDuration(summary.time.totalMs)}); imported history reports what was actually played.
        </p>
      ) : null}
    </>
  );
}

export default function DashboardPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const { params, range, by, set } = useStatsParams();
  const bucket = pick(params.get('bucket'), buckets, range === '4w' ? 'day' : range === 'all' ? 'month' : 'week');
  const [now] = useState(() => new Date());
  const calendarYear = Number(params.get('year')) || now.getFullYear();
  const reviewYear = Number(params.get('review')) || now.getFullYear();

  const base = `/api/accounts/${enc(id)}/stats`;
  const accounts = useAccounts();
  const account = accounts.data?.find((a) => a.id === id);
  const name = account?.displayName ?? (accounts.isPending ? '' : id);
  useDocumentTitle(name ? `${name} · Stats` : 'Stats');

  const summary = useApiQuery<SummaryStats>(withQuery(`${base}/summary`, { range }));
  const allTime = useApiQuery<SummaryStats>(withQuery(`${base}/summary`, { range: 'all' }));
  const topTracks = useApiQuery<TopListData>(withQuery(`${base}/top-tracks`, { range, by, limit: 10 }));
  const topArtists = useApiQuery<TopListData>(withQuery(`${base}/top-artists`, { range, by, limit: 10 }));
  const topAlbums = useApiQuery<TopListData>(withQuery(`${base}/top-albums`, { range, by, limit: 10 }));
  const timeline = useApiQuery<Timeline>(withQuery(`${base}/timeline`, { range, bucket }));
  const heatmap = useApiQuery<Heatmap>(withQuery(`${base}/heatmap`, { range }));
  const streaks = useApiQuery<StreakStats>(withQuery(`${base}/streaks`, { range, year: calendarYear }));
  const genres = useApiQuery<GenreStats>(withQuery(`${base}/genres`, { range, limit: 10 }));
  const discoveries = useApiQuery<Discoveries>(withQuery(`${base}/discoveries`, { range, limit: 5 }));
  const sessions = useApiQuery<SessionStats>(withQuery(`${base}/sessions`, { range, limit: 5 }));
  const review = useApiQuery<YearReview>(withQuery(`${base}/year-review`, { year: reviewYear, limit: 5 }));

  const years = yearsBetween(allTime.data?.firstPlay, now);
  const forbidden = summary.error instanceof ApiError && [403, 404].includes(summary.error.status);

  return (
    <div className="dashboard">
      <div className="page-head">
        <div>
          <p className="eyebrow">Stats</p>
          <h1>{name || '\u00a0'}</h1>
        </div>
        <nav className="tabs" aria-label="Account pages">
          <Link to={`/accounts/${enc(id)}`} aria-current="page">
            Stats
          </Link>
          <Link to={`/accounts/${enc(id)}/history`}>History</Link>
          {me?.id === id ? <Link to={`/accounts/${enc(id)}/import`}>Import</Link> : null}
        </nav>
      </div>

      {forbidden ? (
        <ErrorState error={summary.error} />
      ) : (
        <>
          <StatsToolbar range={range} by={by} set={set} />

          <Panel testId="summary-tiles" title="Summary" resource={summary} isEmpty={(s) => s.plays === 0} empty="No plays yet in this period.">
            {(s) => <SummaryTiles summary={s} />}
          </Panel>

          <div className="grid-3">
            {(
              [
                ['chart-top-tracks', 'Top tracks', topTracks],
                ['chart-top-artists', 'Top artists', topArtists],
                ['chart-top-albums', 'Top albums', topAlbums],
              ] as const
            ).map(([testId, title, resource]) => (
              <Panel key={testId} testId={testId} title={title} resource={resource} isEmpty={(l) => l.items.length === 0}>
                {(list) => <TopList list={list} by={by} />}
              </Panel>
            ))}
          </div>

          <Panel
            testId="chart-timeline"
            title="Timeline"
            resource={timeline}
            waitForDrawing
            isEmpty={(t) => t.points.every((p) => p.plays === 0)}
            actions={<Segmented label="Bucket" options={buckets} value={bucket} onChange={(v) => set('bucket', v)} />}
          >
            {(t) => (
              <>
                <TimelineChart points={t.points} bucket={t.bucket} by={by} gaps={t.gaps ?? []} />
                <GapNotices gaps={t.gaps ?? []} playsPerDay={allTime.data?.playsPerDay ?? summary.data?.playsPerDay} />
              </>
            )}
          </Panel>

          <div className="grid-2">
            <Panel testId="chart-heatmap" title="When you listen" resource={heatmap} isEmpty={(h) => h.plays.flat().every((v) => v === 0)}>
              {(h) => <HeatmapGrid heatmap={h} by={by} />}
            </Panel>
            <Panel testId="chart-genres" title="Genres" resource={genres} waitForDrawing={(g) => g.items.length > 0} isEmpty={(g) => g.items.length === 0 && g.unknownPlays === 0}>
              {(g) => (
                <>
                  {g.items.length ? <GenresChart items={g.items} by={by} /> : <p className="state state-empty">No genres known yet.</p>}
                  {g.unknownPlays > 0 ? (
                    <p className="fine-print">
                      {plural(g.unknownPlays, 'play')} by artists without a known genre are not counted ({g.artistsWithoutGenres} of{' '}
                      {g.artistsWithGenres + g.artistsWithoutGenres} artists: not looked up yet, or Spotify lists none).
                    </p>
                  ) : null}
                </>
              )}
            </Panel>
          </div>

          <Panel
            testId="chart-streaks"
            title="Streaks"
            resource={streaks}
            actions={<YearSelect id="calendar-year" label="Calendar year" years={years} value={calendarYear} onChange={(y) => set('year', String(y))} />}
          >
            {(s) => (
              <>
                <dl className="streak-facts">
                  <div>
                    <dt>Current streak</dt>
                    <dd>{s.current ? `${plural(s.current.days, 'day')} (since ${formatIsoDate(s.current.start)})` : 'None — no play today or yesterday'}</dd>
                  </div>
                  <div>
                    <dt>Longest in period</dt>
                    <dd>{s.longest ? `${plural(s.longest.days, 'day')} (${formatIsoDate(s.longest.start)} – ${formatIsoDate(s.longest.end)})` : 'None'}</dd>
                  </div>
                </dl>
                <StreakCalendar year={s.calendarYear} calendar={s.calendar} />
              </>
            )}
          </Panel>

          <div className="grid-2">
            <Panel testId="discoveries" title="Discoveries" resource={discoveries} isEmpty={(d) => d.trackCount === 0 && d.artistCount === 0} empty="Nothing new in this period.">
              {(d) => (
                <>
                  <p className="lead-number">
                    {plural(d.trackCount, 'new track')} · {plural(d.artistCount, 'new artist')}
                  </p>
                  <div className="two-lists">
                    <DiscoveryList title="Tracks" items={d.tracks} />
                    <DiscoveryList title="Artists" items={d.artists} />
                  </div>
                </>
              )}
            </Panel>
            <Panel testId="sessions" title="Sessions" resource={sessions} isEmpty={(s) => s.count === 0}>
              {(s) => (
                <>
                  <p className="lead-number">
                    {plural(s.count, 'session')} · {formatDuration(s.averageMs)} on average
                  </p>
                  <p className="fine-print">A pause of more than {s.gapMinutes} minutes ends a session.</p>
                  <ol className="plain-list">
                    {s.longest.map((session) => (
                      <li key={session.start}>
                        <span>{formatDateTime(session.start)}</span>
                        <span className="muted">
                          {formatDuration(session.ms)} · {plural(session.plays, 'play')}
                        </span>
                      </li>
                    ))}
                  </ol>
                </>
              )}
            </Panel>
          </div>

          <Panel
            testId="year-review"
            title={`${reviewYear} in review`}
            resource={review}
            isEmpty={(r) => r.summary.plays === 0}
            empty={`No plays recorded in ${reviewYear}.`}
            actions={<YearSelect id="review-year" label="Year to review" years={years} value={reviewYear} onChange={(y) => set('review', String(y))} />}
          >
            {(r) => <YearReviewView review={r} />}
          </Panel>
        </>
      )}
      {accounts.isPending && !account ? <Loading label="Loading account…" /> : null}
    </div>
  );
}

function DiscoveryList({ title, items }: { title: string; items: Discoveries['tracks'] }) {
  return (
    <div>
      <h3 className="list-title">{title}</h3>
      {items.length ? (
        <ol className="plain-list">
          {items.map((d) => (
            <li key={`${d.spotifyId ?? d.name}`}>
              <span>
                {d.name}
                {d.subtitle ? <span className="muted"> · {d.subtitle}</span> : null}
              </span>
              <span className="muted">
                first {formatDate(d.firstPlayed)} · {plural(d.playsInPeriod, 'play')}
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">None</p>
      )}
    </div>
  );
}

function YearReviewView({ review }: { review: YearReview }) {
  return (
    <div className="review">
      <dl className="tiles tiles-compact">
        <div className="tile">
          <dt>Plays</dt>
          <dd>{formatNumber(review.summary.plays)}</dd>
        </div>
        <div className="tile">
          <dt>Listening time</dt>
          <dd>{formatHours(review.summary.time.totalMs)}</dd>
        </div>
        <div className="tile">
          <dt>Busiest day</dt>
          <dd>
            {review.busiestDay ? formatIsoDate(review.busiestDay.date) : '—'}
            {review.busiestDay ? <span className="tile-note">{plural(review.busiestDay.plays, 'play')}</span> : null}
          </dd>
        </div>
        <div className="tile">
          <dt>Longest streak</dt>
          <dd>{review.longestStreak ? plural(review.longestStreak.days, 'day') : '—'}</dd>
        </div>
        <div className="tile">
          <dt>New artists</dt>
          <dd>{formatNumber(review.discoveries.artistCount)}</dd>
        </div>
      </dl>
      <div className="grid-3">
        {(
          [
            ['Tracks', review.topTracks],
            ['Artists', review.topArtists],
            ['Albums', review.topAlbums],
          ] as const
        ).map(([title, list]) => (
          <div key={title}>
            <h3 className="list-title">Top {title.toLowerCase()}</h3>
            <ol className="plain-list numbered">
              {list.items.slice(0, 5).map((e) => (
                <li key={e.rank}>
                  <span>
                    {e.name}
                    {e.subtitle ? <span className="muted"> · {e.subtitle}</span> : null}
                  </span>
                  <span className="muted">{plural(e.plays, 'play')}</span>
                </li>
              ))}
            </ol>
          </div>
        ))}
      </div>
    </div>
  );
}
