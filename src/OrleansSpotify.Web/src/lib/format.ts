// Formatting of times, durations and counts, in the browser's locale conventions but English words.

const locale = undefined; // the browser's locale for numbers and dates

const number = new Intl.NumberFormat(locale);
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
const dayMonth = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
const dayMonthYear = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
const full = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

export function formatNumber(value: number): string {
  return number.format(value);
}

/** 3:07, 1:02:03 — a track position. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** 1 d 3 h, 4 h 12 min, 37 min, 45 s — listening time. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (ms < 60_000) {
    return `${Math.round(ms / 1000)} s`;
  }
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours ? `${formatNumber(days)} d ${restHours} h` : `${formatNumber(days)} d`;
}

/** Listening hours as a plain number, e.g. "123.4 h". */
export function formatHours(ms: number): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: ms < 36_000_000 ? 1 : 0 }).format(ms / 3_600_000)} h`;
}

/** "just now", "5 minutes ago", "yesterday", "3 days ago" relative to `now`. */
export function formatRelative(at: Date | string, now: number): string {
  const then = typeof at === 'string' ? Date.parse(at) : at.getTime();
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) {
    return 'just now';
  }
  if (abs < 45 * 60) {
    return relative.format(Math.round(seconds / 60), 'minute');
  }
  if (abs < 22 * 3600) {
    return relative.format(Math.round(seconds / 3600), 'hour');
  }
  if (abs < 26 * 86400) {
    return relative.format(Math.round(seconds / 86400), 'day');
  }
  if (abs < 320 * 86400) {
    return relative.format(Math.round(seconds / (30 * 86400)), 'month');
  }
  return relative.format(Math.round(seconds / (365 * 86400)), 'year');
}

/** 14:03 today, 3 Mar otherwise (with the year when not this year). */
export function formatWhen(at: string, now: number): string {
  const date = new Date(at);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return clock.format(date);
  }
  return date.getFullYear() === today.getFullYear() ? dayMonth.format(date) : dayMonthYear.format(date);
}

export function formatDateTime(at: string): string {
  return full.format(new Date(at));
}

export function formatDate(at: string | Date): string {
  return dayMonthYear.format(typeof at === 'string' ? new Date(at) : at);
}

/** A local calendar date "2026-03-04" as a date, without a time zone shift. */
export function parseIsoDate(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

export function formatIsoDate(date: string): string {
  return dayMonthYear.format(parseIsoDate(date));
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}
