/** How busy a {@link JobLimiter} is: jobs holding a slot and jobs waiting for one. */
export interface JobLoad {
  running: number;
  queued: number;
}

/** Options of {@link createJobLimiter}. */
export interface JobLimiterOptions {
  /** Jobs in flight at most. */
  concurrency: number;
  /** Jobs waiting for a slot at most, all owners together. */
  queueMax: number;
  /** The refusal of a job that finds the queue full; `retryAfterSeconds` estimates when to come back. */
  busy: (retryAfterSeconds: number) => Error;
  /**
   * A job running longer than this is abandoned: its caller gets `timedOut()` at once, while its
   * slot stays taken until the job itself settles (the work must stop by itself, e.g. libvips'
   * own timeout), so `running` never exceeds `concurrency`. Absent: no limit.
   */
  timeoutMs?: number;
  timedOut?: () => Error;
  /** Called with the new load whenever a job starts, waits or finishes (metrics, tests). */
  observe?: (load: JobLoad) => void;
}

/** Runs async jobs of several owners with at most `concurrency` in flight and a bounded, fair queue. */
export interface JobLimiter {
  /**
   * Runs `job` once a slot is free for it; settles as the job does (or with `timedOut()`). A
   * failing job frees its slot too.
   * @throws the `busy` error when the queue is full (or when this job's place was given to an
   * owner with fewer jobs waiting).
   */
  run<T>(owner: string, job: () => Promise<T>): Promise<T>;
  load(): JobLoad;
}

interface Waiter {
  start(): void;
  refuse(error: Error): void;
}

interface Owner {
  running: number;
  waiting: Waiter[];
  /** When it last got a slot (a sequence number; 0: never while remembered). */
  lastServed: number;
}

/** Retry-After bounds, in seconds: at least one, and no promise about the far future. */
const MIN_RETRY_SECONDS = 1;
const MAX_RETRY_SECONDS = 60;
/** Weight of the latest job in the running average of job durations (for Retry-After). */
const DURATION_WEIGHT = 0.2;

/**
 * A counting semaphore with one queue per owner (the API user; anonymous and internal work are
 * owners of their own), served fairly:
 *
 * - a freed slot goes to the waiting owner with the fewest jobs running, ties to the one served
 *   least recently (round robin), so one owner flooding the queue cannot starve another;
 * - at most `queueMax` jobs wait. When the queue is full, a newcomer takes the place of the newest
 *   job of the owner with the most jobs waiting, if that owner has at least two more than the
 *   newcomer's; otherwise the newcomer is refused. Either refusal is `busy(retryAfterSeconds)`,
 *   estimated from the average job duration and the jobs ahead.
 *
 * @example
 * const limiter = createJobLimiter({ concurrency: 2, queueMax: 64, busy: (seconds) => new Error(`retry in ${seconds} s`) });
 * const image = await limiter.run('erp', () => work(input));
 */
export function createJobLimiter(options: JobLimiterOptions): JobLimiter {
  const { concurrency, queueMax } = options;
  const owners = new Map<string, Owner>();
  /** Owners with jobs waiting. */
  const waitingOwners = new Set<Owner>();
  let running = 0;
  let queued = 0;
  let served = 0;
  let averageJobMs = 0;
  const load = (): JobLoad => ({ running, queued });

  const ownerOf = (name: string): Owner => {
    let owner = owners.get(name);
    if (owner === undefined) owners.set(name, (owner = { running: 0, waiting: [], lastServed: 0 }));
    return owner;
  };
  const forget = (name: string, owner: Owner) => {
    if (owner.running === 0 && owner.waiting.length === 0) owners.delete(name);
  };

  const retryAfterSeconds = () => {
    const seconds = Math.ceil((averageJobMs * (queued / concurrency + 1)) / 1000);
    return Math.min(MAX_RETRY_SECONDS, Math.max(MIN_RETRY_SECONDS, seconds));
  };

  const take = (owner: Owner) => {
    owner.running += 1;
    owner.lastServed = ++served;
    running += 1;
  };

  /** The next owner to serve: fewest jobs running, then least recently served (round robin). */
  const nextOwner = (): Owner | undefined => {
    let chosen: Owner | undefined;
    for (const owner of waitingOwners) {
      if (chosen === undefined || owner.running < chosen.running || (owner.running === chosen.running && owner.lastServed < chosen.lastServed)) {
        chosen = owner;
      }
    }
    return chosen;
  };

  const dispatch = () => {
    while (running < concurrency && queued > 0) {
      const owner = nextOwner()!;
      const waiter = owner.waiting.shift()!;
      if (owner.waiting.length === 0) waitingOwners.delete(owner);
      queued -= 1;
      take(owner);
      waiter.start();
    }
  };

  /** Makes room for `owner` in a full queue at the expense of the owner with the most waiting, if fair. */
  const makeRoom = (owner: Owner): boolean => {
    let longest: Owner | undefined;
    for (const candidate of waitingOwners) if (longest === undefined || candidate.waiting.length > longest.waiting.length) longest = candidate;
    if (longest === undefined || longest === owner || longest.waiting.length < owner.waiting.length + 2) return false;
    const evicted = longest.waiting.pop()!;
    queued -= 1;
    evicted.refuse(options.busy(retryAfterSeconds()));
    return true;
  };

  /** Resolves once `owner` holds a slot (taken already when one was free). */
  const acquire = (owner: Owner): Promise<void> | undefined => {
    if (running < concurrency && queued === 0) {
      take(owner);
      return undefined;
    }
    if (queued >= queueMax && !makeRoom(owner)) throw options.busy(retryAfterSeconds());
    const slot = new Promise<void>((resolve, reject) => {
      owner.waiting.push({ start: resolve, refuse: reject });
      waitingOwners.add(owner);
      queued += 1;
    });
    options.observe?.(load());
    return slot;
  };

  const release = (name: string, owner: Owner, startedAt: number) => {
    averageJobMs += DURATION_WEIGHT * (performance.now() - startedAt - averageJobMs);
    owner.running -= 1;
    running -= 1;
    dispatch();
    forget(name, owner);
    options.observe?.(load());
  };

  const withTimeout = <T>(work: Promise<T>): Promise<T> => {
    const { timeoutMs, timedOut } = options;
    if (timeoutMs === undefined) return work;
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timedOut?.() ?? new Error(`The job took longer than ${timeoutMs} ms.`)), timeoutMs);
    });
    return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
  };

  return {
    async run<T>(name: string, job: () => Promise<T>): Promise<T> {
      const owner = ownerOf(name);
      try {
        const slot = acquire(owner);
        if (slot !== undefined) await slot;
      } catch (error) {
        forget(name, owner);
        throw error;
      }
      options.observe?.(load());
      const startedAt = performance.now();
      let work: Promise<T>;
      try {
        work = job();
      } catch (error) {
        release(name, owner, startedAt);
        throw error;
      }
      // The slot is freed when the work has really stopped, even after its caller was answered.
      const settled = work.then(
        () => release(name, owner, startedAt),
        () => release(name, owner, startedAt),
      );
      void settled;
      return withTimeout(work);
    },
    load,
  };
}
