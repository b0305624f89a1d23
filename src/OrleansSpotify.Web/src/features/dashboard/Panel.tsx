import { useId, type ReactNode } from 'react';
import { Empty, ErrorState, Loading } from '../../components/States';
import type { ApiResource } from '../../lib/useApi';

/**
 * A dashboard section that shows one stats answer: loading, the server's error with a retry, an honest empty
 * state, or the drawing. `data-ready="true"` is set once the data is drawn (the browser tests wait for it).
 */
export function Panel<T>({
  testId,
  title,
  actions,
  resource,
  isEmpty,
  empty = 'No plays in this period.',
  className = '',
  children,
}: {
  testId: string;
  title: string;
  actions?: ReactNode;
  resource: ApiResource<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  className?: string;
  children: (data: T) => ReactNode;
}) {
  const headingId = useId();
  const { state, reload } = resource;
  const data = state.data;
  const ready = state.status === 'success';
  let body: ReactNode;
  if (state.status === 'error' && data === undefined) {
    body = <ErrorState error={state.error} onRetry={reload} />;
  } else if (data === undefined) {
    body = <Loading />;
  } else if (isEmpty?.(data)) {
    body = <Empty>{empty}</Empty>;
  } else {
    body = children(data);
  }
  return (
    <section
      className={`panel ${className}`}
      data-testid={testId}
      data-ready={ready ? 'true' : undefined}
      aria-labelledby={headingId}
      aria-busy={state.status === 'loading'}
    >
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </div>
      {state.status === 'error' && data !== undefined ? <ErrorState error={state.error} onRetry={reload} title="Could not refresh" /> : null}
      <div className={state.status === 'loading' && data !== undefined ? 'panel-body is-stale' : 'panel-body'}>{body}</div>
    </section>
  );
}
