import type { HistoryGap } from '../../lib/types';
import { estimateMissing, gapExplanation, gapMessage } from './gaps';

/** One line per open gap of the range, under the timeline; the tooltip (and its text for screen readers) says how it is estimated. */
export function GapNotices({ gaps, playsPerDay }: { gaps: HistoryGap[]; playsPerDay: number | null | undefined }) {
  if (gaps.length === 0) {
    return null;
  }
  return (
    <ul className="gap-notices" data-testid="timeline-gaps">
      {gaps.map((gap) => {
        const estimate = estimateMissing(gap, playsPerDay);
        const explanation = gapExplanation(estimate, playsPerDay);
        return (
          <li key={`${gap.from}-${gap.to}`} className="gap-notice" title={explanation}>
            <span className="gap-icon" aria-hidden="true">
              !
            </span>
            <span>
              {gapMessage(gap, estimate)}.<span className="sr-only"> {explanation}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
