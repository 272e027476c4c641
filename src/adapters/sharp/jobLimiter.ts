/** How busy a {@link JobLimiter} is: jobs holding a slot and jobs waiting for one. */
export interface JobLoad {
  running: number;
  queued: number;
}

/** Runs async jobs with at most `limit` of them in flight; the rest wait in arrival order. */
export interface JobLimiter {
  /** Runs `job` once a slot is free; settles as the job does. A failing job frees its slot too. */
  run<T>(job: () => Promise<T>): Promise<T>;
  load(): JobLoad;
}

/**
 * A counting semaphore with a FIFO queue. A finishing job hands its slot straight to the oldest
 * waiter, so `running` never exceeds `limit` and a waiter cannot be overtaken by a later caller.
 *
 * @param observe called with the new load whenever a job starts or finishes (metrics, tests).
 * @example
 * const limiter = createJobLimiter(2);
 * const results = await Promise.all(inputs.map((input) => limiter.run(() => work(input))));
 */
export function createJobLimiter(limit: number, observe?: (load: JobLoad) => void): JobLimiter {
  let running = 0;
  const waiting: Array<() => void> = [];
  const load = (): JobLoad => ({ running, queued: waiting.length });

  const acquire = (): Promise<void> | undefined => {
    if (running < limit) {
      running += 1;
      return undefined;
    }
    return new Promise<void>((resolve) => waiting.push(resolve));
  };

  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) running -= 1;
    else next(); // the slot passes on: `running` is unchanged
    observe?.(load());
  };

  return {
    async run<T>(job: () => Promise<T>): Promise<T> {
      const slot = acquire();
      if (slot !== undefined) await slot;
      observe?.(load());
      try {
        return await job();
      } finally {
        release();
      }
    },
    load,
  };
}
