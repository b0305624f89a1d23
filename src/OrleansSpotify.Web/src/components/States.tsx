import type { ReactNode } from 'react';
import { ApiError, errorText } from '../lib/api';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** An error as the server explained it (problem details `detail`), with a retry when trying again can help. */
export function ErrorState({ error, onRetry, title = 'Could not load this' }: { error: unknown; onRetry?: () => void; title?: string }) {
  const forbidden = error instanceof ApiError && (error.status === 403 || error.status === 404);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{error instanceof ApiError && error.status === 403 ? error.title : title}</p>
      <p>{errorText(error)}</p>
      {onRetry && !forbidden ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}
