// The two drawn charts (timeline, genres) with Recharts; colours come from the theme's CSS custom properties.
import { useRef } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration, formatNumber, parseIsoDate, plural } from '../../lib/format';
import type { GenreEntry, HistoryGap, TimelineBucket, TimelinePoint, TopOrder } from '../../lib/types';
import { gapBuckets } from './gaps';
import { useReportDrawn } from './Panel';

// A bar's shape; present once Recharts has measured its box and drawn the series.
const drawnBar = '.recharts-bar-rectangle path, .recharts-bar-rectangle rect';

const reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });

export function bucketLabel(start: string, bucket: TimelineBucket): string {
  const date = parseIsoDate(start);
  return bucket === 'month' ? monthFormat.format(date) : bucket === 'week' ? `Week of ${dayFormat.format(date)}` : dayFormat.format(date);
}

const tooltipStyle = {
  background: 'var(--surface)',
  border: '1px solid var(--border)',
  borderRadius: 8,
  color: 'var(--text)',
  boxShadow: 'var(--shadow)',
};

/**
 * Plays (or hours) per bucket. The open `gaps` of the range are shaded bands over the buckets they touch (the x axis
 * is keyed by each bucket's start, so a band's ends are exact even where two labels read alike).
 */
export function TimelineChart({ points, bucket, by, gaps = [] }: { points: TimelinePoint[]; bucket: TimelineBucket; by: TopOrder; gaps?: HistoryGap[] }) {
  const data = points.map((p) => ({ start: p.start, label: bucketLabel(p.start, bucket), plays: p.plays, hours: p.ms / 3_600_000, ms: p.ms }));
  const bands = gaps.map((gap) => gapBuckets(gap, points)).filter((band) => band !== null);
  const key = by === 'time' ? 'hours' : 'plays';
  const box = useRef<HTMLDivElement>(null);
  useReportDrawn(box, drawnBar);
  return (
    <div
      ref={box}
      className="chart-box"
      role="img"
      aria-label={`${by === 'time' ? 'Listening hours' : 'Plays'} per ${bucket}, ${points.length} ${bucket}s${bands.length ? `; ${bands.length === 1 ? 'a gap' : `${bands.length} gaps`} in the history shaded` : ''}`}
    >
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke="var(--grid)" />
          <XAxis
            dataKey="start"
            tickFormatter={(start: string) => bucketLabel(start, bucket)}
            tick={{ fill: 'var(--text-muted)', fontSize: 12 }}
            tickLine={false}
            axisLine={{ stroke: 'var(--border)' }}
            minTickGap={24}
          />
          <YAxis
            tick={{ fill: 'var(--text-muted)', fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            allowDecimals={by === 'time'}
            tickFormatter={(v: number) => (by === 'time' ? `${formatNumber(Math.round(v * 10) / 10)} h` : formatNumber(v))}
          />
          <Tooltip
            cursor={{ fill: 'var(--hover)' }}
            contentStyle={tooltipStyle}
            labelStyle={{ color: 'var(--text)', fontWeight: 600 }}
            labelFormatter={(start) => bucketLabel(String(start), bucket)}
            formatter={(_value, _name, item) => {
              const row = item.payload as { plays: number; ms: number };
              return [`${plural(row.plays, 'play')} · ${formatDuration(row.ms)}`, ''];
            }}
            separator=""
          />
          {bands.map((band) => (
            <ReferenceArea
              key={`${band.x1}-${band.x2}`}
              className="gap-band"
              x1={band.x1}
              x2={band.x2}
              fill="var(--warning)"
              fillOpacity={0.16}
              stroke="var(--warning)"
              strokeOpacity={0.5}
              strokeDasharray="4 3"
              ifOverflow="extendDomain"
            />
          ))}
          <Bar dataKey={key} fill="var(--accent)" radius={[3, 3, 0, 0]} maxBarSize={36} isAnimationActive={!reducedMotion} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function GenresChart({ items, by }: { items: GenreEntry[]; by: TopOrder }) {
  const data = items.map((g) => ({ name: g.name, plays: g.plays, hours: g.time.totalMs / 3_600_000, ms: g.time.totalMs }));
  const key = by === 'time' ? 'hours' : 'plays';
  const box = useRef<HTMLDivElement>(null);
  useReportDrawn(box, drawnBar);
  return (
    <div ref={box} className="chart-box" role="img" aria-label={`Top genres: ${items.map((g) => `${g.name} ${plural(g.plays, 'play')}`).join(', ')}`}>
      <ResponsiveContainer width="100%" height={Math.max(120, data.length * 32 + 24)}>
        <BarChart data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid horizontal={false} stroke="var(--grid)" />
          <XAxis type="number" tick={{ fill: 'var(--text-muted)', fontSize: 12 }} tickLine={false} axisLine={false} allowDecimals={by === 'time'} />
          <YAxis type="category" dataKey="name" width={120} tick={{ fill: 'var(--text)', fontSize: 12 }} tickLine={false} axisLine={false} />
          <Tooltip
            cursor={{ fill: 'var(--hover)' }}
            contentStyle={tooltipStyle}
            formatter={(_value, _name, item) => {
              const row = item.payload as { plays: number; ms: number };
              return [`${plural(row.plays, 'play')} · ${formatDuration(row.ms)}`, ''];
            }}
            separator=""
          />
          <Bar dataKey={key} fill="var(--accent)" radius={[0, 3, 3, 0]} maxBarSize={22} isAnimationActive={!reducedMotion} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
