/**
 * In-process "something was committed" signal. Subscriptions that caught up wait on it instead
 * of polling; one writer process per environment is what makes an in-process signal sufficient.
 */
export interface CommitSignal {
  /** Called after a write transaction committed (its data is visible to new reads). */
  notify(): void;
  /** Calls `listener` once, at the next notify; returns a function that cancels the wait. */
  waitOnce(listener: () => void): () => void;
}

export function createCommitSignal(): CommitSignal {
  let listeners = new Set<() => void>();
  return {
    notify() {
      if (listeners.size === 0) return;
      const waiting = listeners;
      listeners = new Set();
      for (const listener of waiting) listener();
    },
    waitOnce(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
