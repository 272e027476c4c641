import { useState } from 'preact/hooks';
import { ApiError } from './api.ts';

/** Runs the page's writes one at a time and keeps the message of the last refused one. */
export function useAction(afterEach: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'The change failed.');
    } finally {
      setBusy(false);
      await afterEach();
    }
  };
  return { busy, error, run, clearError: () => setError(null) };
}
