import { useCallback, useEffect, useRef, useState } from 'react';
import { getJson, isAbort } from './api';

export type ApiState<T> =
  | { status: 'loading'; data: T | undefined; error: undefined }
  | { status: 'success'; data: T; error: undefined }
  | { status: 'error'; data: T | undefined; error: unknown };

export interface ApiResource<T> {
  state: ApiState<T>;
  /** Fetches again; the current data stays visible meanwhile. */
  reload: () => void;
}

/**
 * GETs `url` (null: nothing to fetch yet). A new url aborts the request in flight; the previous data is kept while
 * the next arrives, so pickers do not blank the page.
 */
export function useApi<T>(url: string | null): ApiResource<T> {
  const [state, setState] = useState<ApiState<T>>({ status: 'loading', data: undefined, error: undefined });
  const [generation, setGeneration] = useState(0);
  const dataRef = useRef<T | undefined>(undefined);

  useEffect(() => {
    if (url === null) {
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading', data: dataRef.current, error: undefined });
    getJson<T>(url, controller.signal).then(
      (data) => {
        dataRef.current = data;
        setState({ status: 'success', data, error: undefined });
      },
      (error: unknown) => {
        if (!isAbort(error)) {
          setState({ status: 'error', data: dataRef.current, error });
        }
      },
    );
    return () => controller.abort();
  }, [url, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}
