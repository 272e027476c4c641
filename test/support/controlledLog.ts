import type { EventStoreDatabases } from '../../src/adapters/lmdb/eventStoreDatabases.ts';

/** A conditional log write that the test holds back: it settles only when the test says. */
export interface HeldWrite {
  /** Whether the pipeline has issued it yet. */
  readonly issued: boolean;
  /** The commit fails with `error` (the write never reaches LMDB). */
  fail(error: Error): void;
  /** The write goes to LMDB now, and settles as LMDB settles it. */
  release(): void;
}

type ConditionalWrite = (...args: never[]) => Promise<boolean>;

/**
 * The append pipeline's log, with commits the test controls: each `holdNextWrite()` holds back
 * the next conditional write (a commit still under way, that the test then fails or lets go).
 * Every other write is LMDB's own, and is recorded so the test can wait for it.
 */
export function controlledLog(databases: EventStoreDatabases) {
  const real = databases.log;
  const realWrites: Promise<boolean>[] = [];
  let refused = 0;
  let issuedCount = 0;
  /** Conditional writes issued and not settled yet, and for each write how many those were when it was issued. */
  let unsettled = 0;
  const inFlightAtIssue: number[] = [];
  const armed: Array<(write: () => Promise<boolean>) => Promise<boolean>> = [];
  /** Held writes issued and not settled yet: a failed test releases them, so its clean-up ends. */
  const pending = new Set<{ release(): void }>();

  const conditional =
    (write: ConditionalWrite) =>
    (...args: never[]): Promise<boolean> => {
      issuedCount += 1;
      inFlightAtIssue.push(unsettled);
      unsettled += 1;
      const writeForReal = () => {
        const written = write.apply(real, args);
        written.then((landed) => void (refused += landed ? 0 : 1), () => {});
        realWrites.push(written);
        return written;
      };
      const hold = armed.shift();
      const result = hold === undefined ? writeForReal() : hold(writeForReal);
      const settled = () => void (unsettled -= 1);
      result.then(settled, settled);
      return result;
    };
  const log = Object.create(real) as typeof real;
  log.ifVersion = conditional(real.ifVersion as never) as typeof real.ifVersion;
  log.ifNoExists = conditional(real.ifNoExists as never) as typeof real.ifNoExists;

  return {
    /** The databases to hand the pipeline: the real ones, with this log. */
    databases: { ...databases, log },
    holdNextWrite(): HeldWrite {
      let issued = false;
      let settle: { fail(error: Error): void; release(): void } | undefined;
      armed.push(
        (writeForReal) =>
          new Promise<boolean>((resolve, reject) => {
            issued = true;
            const held = {
              fail: (error: Error) => (pending.delete(held), reject(error)),
              release: () => (pending.delete(held), void writeForReal().then(resolve, reject)),
            };
            settle = held;
            pending.add(held);
          }),
      );
      const issuedSettle = () => {
        if (settle === undefined) throw new Error('the held write was not issued yet');
        return settle;
      };
      return {
        get issued() {
          return issued;
        },
        fail: (error) => issuedSettle().fail(error),
        release: () => issuedSettle().release(),
      };
    },
    /** For each conditional write, in order, how many earlier ones had not settled when it was issued. */
    writesInFlightAtIssue: () => [...inFlightAtIssue],
    /** How many conditional writes the pipeline issued, held ones included. */
    writesIssued: () => issuedCount,
    /** How many writes LMDB did not apply because the entry before them was missing. */
    refusedWrites: () => refused,
    /** Lets every held write that was issued go to LMDB (the clean-up after a failed test). */
    releaseHeld: () => [...pending].forEach((held) => held.release()),
    /** Resolves once every write that went to LMDB so far has settled. */
    realWritesSettled: () => Promise.allSettled(realWrites),
  };
}

/** Resolves once `condition` holds; fails the test after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** What became of each promise, failing the test when one is still pending after `timeoutMs`. */
export async function outcomes<T>(promises: Promise<T>[], timeoutMs = 2000): Promise<PromiseSettledResult<T>[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`an append did not settle within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.allSettled(promises), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
