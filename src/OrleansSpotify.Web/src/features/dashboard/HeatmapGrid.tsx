import type { CSSProperties } from 'react';
import { formatDuration, plural } from '../../lib/format';
import type { Heatmap, TopOrder } from '../../lib/types';

export const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const hours = Array.from({ length: 24 }, (_, h) => h);

/** Weekday × hour as a table: headers name each cell for screen readers, colour intensity shows the amount. */
export function HeatmapGrid({ heatmap, by }: { heatmap: Heatmap; by: TopOrder }) {
  const values = by === 'time' ? heatmap.ms : heatmap.plays;
  const max = Math.max(1, ...values.flat());
  const describe = (value: number) => (by === 'time' ? formatDuration(value) : plural(value, 'play'));
  return (
    <div className="heatmap-scroll">
      <table className="heatmap">
        <caption className="sr-only">{by === 'time' ? 'Listening time' : 'Plays'} by weekday and hour of day (local time)</caption>
        <thead>
          <tr>
            <td className="heatmap-corner" />
            {hours.map((h) => (
              <th key={h} scope="col" className="heatmap-hour">
                <span aria-hidden="true">{h % 3 === 0 ? h : ''}</span>
                <span className="sr-only">{`${String(h).padStart(2, '0')}:00`}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weekdays.map((day, d) => (
            <tr key={day}>
              <th scope="row" className="heatmap-day">
                <abbr title={day}>{day.slice(0, 3)}</abbr>
              </th>
              {hours.map((h) => {
                const value = values[d]?.[h] ?? 0;
                const label = `${day} ${String(h).padStart(2, '0')}:00 – ${describe(value)}`;
                return (
                  <td key={h} className="heatmap-cell" style={{ '--v': value / max } as CSSProperties} title={label} aria-label={label} />
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="legend" aria-hidden="true">
        <span>less</span>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <span key={v} className="heatmap-cell legend-cell" style={{ '--v': v } as CSSProperties} />
        ))}
        <span>more</span>
      </div>
    </div>
  );
}
