import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/**
 * Catches what a page throws while rendering — most often a lazy page's chunk that failed to download (offline,
 * or the server was updated meanwhile) — and offers a reload instead of a blank screen.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Page failed to render', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) {
      return this.props.children;
    }
    const chunk = /dynamically imported module|Importing a module script failed|Loading chunk/i.test(error.message);
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">{chunk ? 'This page could not be loaded' : 'Something went wrong on this page'}</p>
        <p>{chunk ? 'Part of the app did not download — you may be offline, or OrleansSpotify was updated. Reloading usually fixes it.' : error.message}</p>
        <button type="button" className="button button-secondary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
