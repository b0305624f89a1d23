import { formatDuration, parseIsoDate, plural } from '../../lib/format';
import type { DayCount } from '../../lib/types';

const monthName = new Intl.DateTimeFormat('en', { month: 'long' });
const dayLabel = new Intl.DateTimeFormat('en', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const weekdayHeads = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

/** 0 (nothing) to 4 (the busiest days), in quarters of the year's busiest day. */
export function level(plays: number, max: number): number {
  return plays <= 0 || max <= 0 ? 0 : Math.min(4, Math.ceil((plays / max) * 4));
}

interface Month {
  index: number;
  weeks: (DayCount | null)[][];
}

/** The calendar split into months of Monday-first weeks (null pads the first and last week). */
export function monthsOf(calendar: DayCount[]): Month[] {
  const months = new Map<number, DayCount[]>();
  for (const day of calendar) {
    const month = parseIsoDate(day.date).getMonth();
    months.set(month, [...(months.get(month) ?? []), day]);
  }
  return [...months.entries()].map(([index, days]) => {
    const weeks: (DayCount | null)[][] = [];
    let week: (DayCount | null)[] = Array.from({ length: (parseIsoDate(days[0]!.date).getDay() + 6) % 7 }, () => null);
    for (const day of days) {
      week.push(day);
      if (week.length === 7) {
        weeks.push(week);
        week = [];
      }
    }
    if (week.length) {
      weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
    }
    return { index, weeks };
  });
}

/** A year of days with plays, one small table per month so it wraps on a phone. */
export function StreakCalendar({ year, calendar }: { year: number; calendar: DayCount[] }) {
  const max = Math.max(0, ...calendar.map((d) => d.plays));
  return (
    <div className="calendar">
      {monthsOf(calendar).map((month) => (
        <table key={month.index} className="calendar-month">
          <caption>{monthName.format(new Date(year, month.index, 1))}</caption>
          <thead>
            <tr>
              {weekdayHeads.map((d) => (
                <th key={d} scope="col">
                  <span aria-hidden="true">{d.charAt(0)}</span>
                  <span className="sr-only">{d}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {month.weeks.map((week, w) => (
              <tr key={w}>
                {week.map((day, i) => {
                  if (!day) {
                    return <td key={i} className="calendar-pad" />;
                  }
                  const label = `${dayLabel.format(parseIsoDate(day.date))}: ${day.plays ? `${plural(day.plays, 'play')}, ${formatDuration(day.ms)}` : 'no plays'}`;
                  return (
                    <td key={i} className={`calendar-day level-${level(day.plays, max)}`} title={label} aria-label={label} />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
