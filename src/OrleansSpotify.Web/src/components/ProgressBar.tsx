import { formatClock } from '../lib/format';

/** Playback position of an item: a native-semantics progressbar whose value is in milliseconds. */
export function ProgressBar({ positionMs, durationMs, label = 'Playback position' }: { positionMs: number; durationMs: number; label?: string }) {
  const value = Math.round(Math.min(positionMs, durationMs));
  const percent = durationMs > 0 ? (value / durationMs) * 100 : 0;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={durationMs}
        aria-valuenow={value}
        aria-valuetext={`${formatClock(value)} of ${formatClock(durationMs)}`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="progress-times" aria-hidden="true">
        <span>{formatClock(value)}</span>
        <span>{formatClock(durationMs)}</span>
      </div>
    </div>
  );
}
