import { createContext, useCallback, useContext, useEffect, useId, useState, type ReactNode, type RefObject } from 'react';
import { Empty, ErrorState, Loading } from '../../components/States';
import type { UseQueryResult } from '@tanstack/react-query';

/** Lets a drawn chart tell its panel that its shapes are on screen (Recharts draws after measuring its box). */
const DrawnContext = createContext<(() => void) | null>(null);

/**
 * Reports to the enclosing panel once `selector` matches inside `ref` (checked each frame, for up to 10 s): a chart
 * has really drawn, not just received its data.
 */
export function useReportDrawn(ref: RefObject<HTMLElement | null>, selector: string): void {
  const report = useContext(DrawnContext);
  useEffect(() => {
    if (!report) {
      return;
    }
    let frame = 0;
    const started = performance.now();
    const check = () => {
      if (ref.current?.querySelector(selector) || performance.now() - started > 10_000) {
        report();
        return;
      }
      frame = requestAnimationFrame(check);
    };
    check();
    return () => cancelAnimationFrame(frame);
  });
}

/**
 * A dashboard section that shows one stats answer: loading, the server's error with a retry, an honest empty
 * state, or the drawing. `data-ready="true"` is set once the answer for the current parameters is drawn (the
 * browser tests wait for it); while another period's answer is still shown, or after a failed refresh, it is not.
 */
export function Panel<T>({
  testId,
  title,
  actions,
  resource,
  isEmpty,
  empty = 'No plays in this period.',
  className = '',
  waitForDrawing = false,
  children,
}: {
  testId: string;
  title: string;
  actions?: ReactNode;
  resource: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  className?: string;
  /** The content draws itself after rendering (a Recharts chart) and reports it with useReportDrawn. */
  waitForDrawing?: boolean | ((data: T) => boolean);
  children: (data: T) => ReactNode;
}) {
  const headingId = useId();
  const { data, error, isError, isFetching, isPlaceholderData } = resource;
  const reload = () => void resource.refetch();
  const [drawn, setDrawn] = useState(false);
  const reportDrawn = useCallback(() => setDrawn(true), []);
  let body: ReactNode;
  let drawing = false;
  if (isError && data === undefined) {
    body = <ErrorState error={error} onRetry={reload} />;
  } else if (data === undefined) {
    body = <Loading />;
  } else if (isEmpty?.(data)) {
    body = <Empty>{empty}</Empty>;
  } else {
    body = children(data);
    drawing = typeof waitForDrawing === 'function' ? waitForDrawing(data) : waitForDrawing;
  }
  const ready = resource.isSuccess && !isPlaceholderData && (!drawing || drawn);
  return (
    <section
      className={`panel ${className}`}
      data-testid={testId}
      data-ready={ready ? 'true' : undefined}
      aria-labelledby={headingId}
      aria-busy={isFetching}
    >
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </div>
      {isError && data !== undefined ? <ErrorState error={error} onRetry={reload} title="Could not refresh" /> : null}
      <DrawnContext.Provider value={reportDrawn}>
        <div className={isPlaceholderData ? 'panel-body is-stale' : 'panel-body'}>{body}</div>
      </DrawnContext.Provider>
    </section>
  );
}
