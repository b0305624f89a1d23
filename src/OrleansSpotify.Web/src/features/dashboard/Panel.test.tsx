import { act, render, screen } from '@testing-library/react';
import { useRef } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResource } from '../../lib/useApi';
import { Panel, useReportDrawn } from './Panel';

function resource<T>(data: T): ApiResource<T> {
  return { state: { status: 'success', data, error: undefined }, reload: () => {} };
}

/** Draws its "shape" only once `show` is set, like a chart that measures its box before drawing. */
function LateChart({ show }: { show: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useReportDrawn(box, '.shape');
  return <div ref={box}>{show ? <svg className="shape" /> : null}</div>;
}

describe('Panel', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('is ready as soon as plain content has its data', () => {
    render(
      <Panel testId="p" title="P" resource={resource([1])}>
        {(d) => <p>{d.length}</p>}
      </Panel>,
    );
    expect(screen.getByTestId('p')).toHaveAttribute('data-ready', 'true');
  });

  it('waits for a chart to draw before saying ready', () => {
    const { rerender } = render(
      <Panel testId="p" title="P" resource={resource([1])} waitForDrawing>
        {() => <LateChart show={false} />}
      </Panel>,
    );
    act(() => vi.advanceTimersByTime(100));
    expect(screen.getByTestId('p')).not.toHaveAttribute('data-ready');

    rerender(
      <Panel testId="p" title="P" resource={resource([1])} waitForDrawing>
        {() => <LateChart show />}
      </Panel>,
    );
    act(() => vi.advanceTimersByTime(100));
    expect(screen.getByTestId('p')).toHaveAttribute('data-ready', 'true');
  });

  it('is ready with an honest empty state when there is nothing to draw', () => {
    render(
      <Panel testId="p" title="P" resource={resource([] as number[])} waitForDrawing isEmpty={(d) => d.length === 0}>
        {() => <LateChart show={false} />}
      </Panel>,
    );
    expect(screen.getByTestId('p')).toHaveAttribute('data-ready', 'true');
    expect(screen.getByText('No plays in this period.')).toBeInTheDocument();
  });
});
