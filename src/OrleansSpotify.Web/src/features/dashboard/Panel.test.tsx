import { act, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useRef, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Panel, useReportDrawn } from './Panel';

/** A panel over a query that already holds `data` (fresh, so nothing is fetched). */
function DataPanel<T>({ data, children, ...props }: { data: T; children: (data: T) => ReactNode; waitForDrawing?: boolean; isEmpty?: (data: T) => boolean }) {
  const resource = useQuery({ queryKey: ['p'], queryFn: () => data, initialData: data, staleTime: Number.POSITIVE_INFINITY });
  return (
    <Panel testId="p" title="P" resource={resource} {...props}>
      {children}
    </Panel>
  );
}

const client = new QueryClient();
const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;

/** Draws its "shape" only once `show` is set, like a chart that measures its box before drawing. */
function LateChart({ show }: { show: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useReportDrawn(box, '.shape');
  return <div ref={box}>{show ? <svg className="shape" /> : null}</div>;
}

describe('Panel', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'performance'] }));
  afterEach(() => {
    vi.useRealTimers();
    client.clear();
  });

  it('is ready as soon as plain content has its data', () => {
    render(
      <DataPanel data={[1]}>{(d) => <p>{d.length}</p>}</DataPanel>,
      { wrapper },
    );
    expect(screen.getByTestId('p')).toHaveAttribute('data-ready', 'true');
  });

  it('waits for a chart to draw before saying ready', () => {
    const { rerender } = render(
      <DataPanel data={[1]} waitForDrawing>
        {() => <LateChart show={false} />}
      </DataPanel>,
      { wrapper },
    );
    act(() => vi.advanceTimersByTime(100));
    expect(screen.getByTestId('p')).not.toHaveAttribute('data-ready');

    rerender(
      <DataPanel data={[1]} waitForDrawing>
        {() => <LateChart show />}
      </DataPanel>,
    );
    act(() => vi.advanceTimersByTime(100));
    expect(screen.getByTestId('p')).toHaveAttribute('data-ready', 'true');
  });

  it('is ready with an honest empty state when there is nothing to draw', () => {
    render(
      <DataPanel data={[] as number[]} waitForDrawing isEmpty={(d) => d.length === 0}>
        {() => <LateChart show={false} />}
      </DataPanel>,
      { wrapper },
    );
    expect(screen.getByTestId('p')).toHaveAttribute('data-ready', 'true');
    expect(screen.getByText('No plays in this period.')).toBeInTheDocument();
  });
});
