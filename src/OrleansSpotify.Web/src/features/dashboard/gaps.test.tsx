import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HistoryGap } from '../../lib/types';
import { GapNotices } from './GapNotices';
import { estimateMissing, gapBuckets, gapExplanation, gapMessage } from './gaps';

function gap(from: string, to: string): HistoryGap {
  return { from, to, detectedAt: to, closedBy: null };
}

// Local times: the timeline's buckets are local calendar dates.
const fourHours = gap(new Date(2026, 10, 20, 10, 0).toISOString(), new Date(2026, 10, 20, 14, 0).toISOString());

describe('estimateMissing', () => {
  it('scales the member’s plays a day to the gap, never past one play per 30 s', () => {
    // 36 plays a day: 1.5 an hour, 6 in four hours; at most 480 plays of 30 s fit in four hours.
    expect(estimateMissing(fourHours, 36)).toEqual({ likely: 6, most: 480, ms: 4 * 3_600_000 });
    // A rate that would put more plays in the gap than fit in it is held to the bound.
    expect(estimateMissing(gap('2026-11-20T10:00:00Z', '2026-11-20T10:01:00Z'), 100_000).likely).toBe(2);
  });

  it('has only the bound without a rate', () => {
    expect(estimateMissing(fourHours, null)).toEqual({ likely: null, most: 480, ms: 4 * 3_600_000 });
    expect(estimateMissing(fourHours, 0).likely).toBeNull();
  });
});

describe('gapMessage', () => {
  it('says how many plays may be missing, between when and when', () => {
    const text = gapMessage(fourHours, estimateMissing(fourHours, 36));
    expect(text).toMatch(/^About 6 plays may be missing between .+ and .+$/);
    expect(text).toContain('between');
  });

  it('falls back to the bound when the estimate is under one play or unknown', () => {
    expect(gapMessage(fourHours, estimateMissing(fourHours, 1))).toMatch(/^Up to 480 plays may be missing between /);
    expect(gapMessage(fourHours, estimateMissing(fourHours, null))).toMatch(/^Up to 480 plays may be missing between /);
  });

  it('explains the estimate', () => {
    expect(gapExplanation(estimateMissing(fourHours, 36), 36)).toContain('average of 36 plays a day');
    expect(gapExplanation(estimateMissing(fourHours, 36), 36)).toContain('at most 480 plays fit in it');
    expect(gapExplanation(estimateMissing(fourHours, null), null)).toContain('only the bound');
  });
});

describe('gapBuckets', () => {
  const days = ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21'].map((start) => ({ start }));

  it('shades the buckets the gap touches', () => {
    expect(gapBuckets(fourHours, days)).toEqual({ x1: '2026-11-20', x2: '2026-11-20' });
    const twoDays = gap(new Date(2026, 10, 19, 22, 0).toISOString(), new Date(2026, 10, 21, 1, 0).toISOString());
    expect(gapBuckets(twoDays, days)).toEqual({ x1: '2026-11-19', x2: '2026-11-21' });
    const weeks = [{ start: '2026-11-09' }, { start: '2026-11-16' }, { start: '2026-11-23' }];
    expect(gapBuckets(fourHours, weeks)).toEqual({ x1: '2026-11-16', x2: '2026-11-16' });
  });

  it('clips a gap that starts before the range and leaves out one outside it', () => {
    const early = gap(new Date(2026, 10, 10, 8, 0).toISOString(), new Date(2026, 10, 18, 9, 0).toISOString());
    expect(gapBuckets(early, days)).toEqual({ x1: '2026-11-18', x2: '2026-11-18' });
    const before = gap(new Date(2026, 10, 1, 8, 0).toISOString(), new Date(2026, 10, 2, 9, 0).toISOString());
    expect(gapBuckets(before, days)).toBeNull();
    expect(gapBuckets(fourHours, [])).toBeNull();
  });
});

describe('GapNotices', () => {
  it('lists each gap with its estimate and the explanation as a tooltip', () => {
    render(<GapNotices gaps={[fourHours, gap('2026-11-21T08:00:00Z', '2026-11-21T08:10:00Z')]} playsPerDay={36} />);
    const items = within(screen.getByTestId('timeline-gaps')).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(/About 6 plays may be missing between/);
    expect(items[0]).toHaveAttribute('title', expect.stringContaining('average of 36 plays a day'));
    expect(items[1]).toHaveTextContent(/Up to 20 plays may be missing between/);
  });

  it('shows nothing without gaps', () => {
    render(<GapNotices gaps={[]} playsPerDay={36} />);
    expect(screen.queryByTestId('timeline-gaps')).toBeNull();
  });
});
