/**
 * Runs one job per key at a time: callers asking for a key whose job is running share its result
 * (a rendition's first requests make it once). The key is free again once the job settles, so a
 * failure is not remembered.
 */
export function singleFlight<T>() {
  const running = new Map<string, Promise<T>>();
  return {
    run(key: string, job: () => Promise<T>): Promise<T> {
      const current = running.get(key);
      if (current !== undefined) return current;
      const started = job().finally(() => running.delete(key));
      running.set(key, started);
      return started;
    },
    /** Jobs running now (tests, metrics). */
    get size() {
      return running.size;
    },
  };
}
