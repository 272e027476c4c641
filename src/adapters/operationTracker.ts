import { UnavailableError } from '../errors/appError.ts';

/**
 * Keeps count of an adapter's operations under way, so `close()` can refuse new ones and wait
 * for the rest to finish before the adapter lets go of its files or connections.
 */
export function operationTracker(what: string) {
  const pending = new Set<Promise<unknown>>();
  let closed = false;
  const refuse = () => new UnavailableError(`${what} is closed.`);

  return {
    /** Runs `operation`, unless the adapter is closed. */
    track<T>(operation: () => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(refuse());
      const promise = operation();
      pending.add(promise);
      const forget = () => pending.delete(promise);
      promise.then(forget, forget);
      return promise;
    },
    /** @throws UnavailableError once closed (for operations that are not promises, such as listings). */
    assertOpen(): void {
      if (closed) throw refuse();
    },
    /** Refuses new operations and waits for those under way. */
    async close(): Promise<void> {
      closed = true;
      await Promise.allSettled([...pending]);
    },
  };
}
