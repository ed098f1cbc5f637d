import { useEffect, useState } from 'react';

/**
 * Loads data with loading and error states; `reload` fetches again. While reloading, the last
 * data stays on screen.
 */
export function useApi<T>(load: () => Promise<{ data?: T; error?: unknown; response: Response }>, deps: unknown[]) {
  const [tick, setTick] = useState(0);
  const key = `${JSON.stringify(deps)}#${tick}`;
  const [result, setResult] = useState<{ key: string; data?: T; error?: unknown }>();
  useEffect(() => {
    let live = true;
    load()
      .then((r) => live && setResult({ key, data: r.data, error: r.error }))
      .catch((error: unknown) => live && setResult({ key, error }));
    return () => {
      live = false;
    };
    // `load` is a new closure each render; `key` says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return {
    data: result?.data,
    error: result?.key === key ? result.error : undefined,
    loading: result?.key !== key,
    reload: () => setTick((t) => t + 1),
  };
}
