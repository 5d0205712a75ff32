// Loads data for a page and reloads it when its inputs change; an answer that arrives after the
// inputs changed again is dropped, so a slow old answer never overwrites a newer one.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './apiClient.js';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, inputs: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [round, setRound] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const call = ++latest.current;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load().then(
      (data) => {
        if (call === latest.current) setState({ data, error: null, loading: false });
      },
      (err: unknown) => {
        if (call === latest.current) setState({ data: null, error: asApiError(err), loading: false });
      },
    );
    // The caller names the inputs the load depends on; `load` itself is a new closure every render.
  }, [...inputs, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'Unexpected error', err instanceof Error ? err.message : String(err), null);
}
