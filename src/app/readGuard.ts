import type { Logger } from '../logging/logger.ts';
import { comparePositions, type EventStore, type Position } from '../ports/eventStore.ts';
import type { LogWatcher } from '../projections/logWatcher.ts';

/** Warnings about slow read models, at most one this often. */
const WARN_EVERY_MS = 60_000;

/**
 * Read-your-writes across instances: before a request reads a read model, this instance's read
 * models catch up with everything the event store held when the request arrived, whichever
 * instance wrote it. So a client whose write went through another instance reads it here.
 *
 * The store's head is read once for many requests: a read already under way may have started
 * before a request arrived, so that request waits for the next one, started after it (at most
 * one read in flight and one queued, whatever the load). On the embedded engine the head is a
 * local read of microseconds; on EventStoreDB one round trip shared by the requests of that
 * moment (the embedded engine, the only writer of its log, tells its head without a read:
 * `EventStore.headPosition`). The wait is bounded: past `timeoutMs`, or when the store cannot be read, the request
 * is answered from what the read models hold (a warning says so, at most once a minute).
 */
export function readGuard(deps: { eventStore: EventStore; watcher: LogWatcher; timeoutMs: number; logger: Logger }) {
  // An engine that is its log's only writer knows the head without a read: exact, and free.
  const localHead = deps.eventStore.headPosition?.bind(deps.eventStore);
  const readHead = async (): Promise<Position | undefined> => (await deps.eventStore.readAll({ direction: 'backwards', maxCount: 1 }))[0]?.position;
  let inFlight: Promise<Position | undefined> | undefined;
  let queued: Promise<Position | undefined> | undefined;
  const start = (): Promise<Position | undefined> => {
    const read = readHead().finally(() => {
      if (inFlight === read) inFlight = undefined;
    });
    inFlight = read;
    return read;
  };
  /** The head, read by a read that started after this call. */
  const headFromNow = (): Promise<Position | undefined> => {
    if (inFlight === undefined) return start();
    queued ??= inFlight.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      queued = undefined;
      return start();
    });
    return queued;
  };
  /** Every position up to here is known to be in every read model. */
  let reached: Position | undefined;
  let warnedAt = 0;
  const warn = (message: string, fields: Record<string, unknown>) => {
    const now = Date.now();
    if (now - warnedAt < WARN_EVERY_MS) return;
    warnedAt = now;
    deps.logger.warn(message, fields);
  };

  return {
    /** Resolves once the read models include everything stored before this call (or the wait ran out). */
    async caughtUp(): Promise<void> {
      let head: Position | undefined;
      try {
        head = localHead ? localHead() : await headFromNow();
      } catch (error) {
        // The store cannot be read: what the read models hold is the best answer there is (a
        // write will fail on its own), so the request goes on.
        return warn('the event store cannot be read; answering from the read models', { error: String(error) });
      }
      if (head === undefined || comparePositions(head, reached) <= 0) return;
      if (await deps.watcher.reach(head, deps.timeoutMs)) {
        if (comparePositions(head, reached) > 0) reached = head;
        return;
      }
      warn('read models lag the event store; answering from what they hold', { head, waitedMs: deps.timeoutMs });
    },
  };
}

export type ReadGuard = ReturnType<typeof readGuard>;
