import { isAppError, UnavailableError } from '../../errors/appError.ts';
import type { AppendResult } from '../../ports/eventStore.ts';
import { appendEvents, type AppendContext, type AppendRequest, type WriteLogEntry } from './appendEvents.ts';
import type { IndexWrite } from './streamIndex.ts';

interface QueuedAppend {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
  outcome?: { result: AppendResult } | { error: unknown };
}

export interface AppendBatcher {
  append(request: AppendRequest): Promise<AppendResult>;
  /** Resolves once every append issued so far has settled. */
  settled(): Promise<void>;
}

/**
 * Runs appends with group commit: every append's promise settles once its transaction is
 * durable, and the appends of one event-loop turn share that transaction (one fsync for all).
 *
 * - When nothing is queued or being written, an append is checked right away against the
 *   committed state (no other write can come between) and its log entries are plain asynchronous
 *   puts, which LMDB applies on its write thread: a lone writer skips the hand-over to a
 *   transaction callback and back, about a tenth of its latency.
 * - Otherwise it is queued, and the queue runs in one `transaction()` callback when LMDB starts the
 *   next transaction, so that every check sees the appends before it. One callback per queue
 *   rather than per append: LMDB's per-call bookkeeping was a third of an append's CPU time.
 * - The environment commits with overlapping sync (eventStoreDatabases.ts): a transaction
 *   releases the write lock once committed and is flushed to disk after, while the next one is
 *   prepared; an append is acknowledged only once its transaction is flushed. A queue found with
 *   no other queue's transaction awaiting its flush (a lone append's direct write does not
 *   count) is split in two, so that the second half is checked and
 *   written while the first is being flushed; from then on each group of writers comes back
 *   while the other group's flush is in progress and goes whole. With a hundred concurrent
 *   writers this gave 1.4 to 1.6 times the appends per second of committing each queue with
 *   its fsync inside the transaction; a lone writer pays for it, its append waiting for the
 *   flush after the commit (about 0.9 times the rate).
 *
 * Each append succeeds or fails on its own; a failed commit fails all the appends it carried.
 */
export function createAppendBatcher(context: AppendContext, onCommitted: () => void): AppendBatcher {
  const { databases, streamIndex } = context;
  const queued: QueuedAppend[] = [];
  const inFlight = new Set<Promise<unknown>>();
  /** Queue transactions issued whose flush has not completed. */
  let unflushedQueues = 0;

  /**
   * Resolves once every write issued so far is committed and flushed (LMDB's `flushed`, read
   * right after issuing the writes it must cover).
   */
  const flushOfWritesIssued = (): Promise<unknown> =>
    new Promise((resolve, reject) => databases.root.flushed.then(resolve, reject));

  const track = <T>(write: Promise<T>): Promise<T> => {
    const tracked = write.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return tracked;
  };

  const commitFailed = (error: unknown): UnavailableError => {
    streamIndex.failed();
    return new UnavailableError('Appending to the event store failed.', error);
  };

  async function appendDirectly(request: AppendRequest): Promise<AppendResult> {
    streamIndex.beginWrite({ previousWritesSettled: true });
    let written: Promise<boolean> | undefined;
    const result = appendEvents(context, request, context.now().toISOString(), (sequence, storedEvent) => {
      // Puts issued in one turn share one transaction: the append stays atomic.
      written = databases.log.put(sequence, storedEvent);
    });
    if (written === undefined) return result; // an idempotent retry, or no events
    const indexWrite = streamIndex.endWrite();
    try {
      await track(Promise.all([written, flushOfWritesIssued()]));
    } catch (error) {
      throw commitFailed(error);
    }
    streamIndex.committed(indexWrite);
    onCommitted();
    return result;
  }

  const writeInTransaction: WriteLogEntry = (sequence, storedEvent) => {
    // Sequences only grow, so MDB_APPEND applies: no search, and log pages are filled completely.
    // (lmdb's typings say void; putSync returns whether the put happened.)
    const put = databases.log.putSync(sequence, storedEvent, { append: true }) as unknown;
    if (put === false) throw new Error(`The log already holds sequence ${sequence}.`);
  };

  function runQueue(batch: QueuedAppend[]): IndexWrite {
    streamIndex.beginWrite();
    const created = context.now().toISOString();
    for (const append of batch) {
      try {
        append.outcome = { result: appendEvents(context, append.request, created, writeInTransaction) };
      } catch (error) {
        // A refusal (an AppError) wrote nothing; anything else may have written part of an
        // append, so the stream index is rebuilt from the log before the next transaction.
        if (!isAppError(error)) streamIndex.failed();
        append.outcome = { error };
      }
    }
    return streamIndex.endWrite();
  }

  function settleQueue(batch: QueuedAppend[], indexWrite: IndexWrite): void {
    streamIndex.committed(indexWrite);
    for (const { outcome, resolve, reject } of batch) {
      if (outcome === undefined) reject(new UnavailableError('The append was not run by the event store.'));
      else if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    }
    onCommitted();
  }

  function startQueue(): void {
    let batch: QueuedAppend[] = [];
    // The callback takes what was queued until LMDB starts the transaction (half of it when no
    // other queue's transaction is being flushed); appends queued later, and the other half,
    // start the next transaction.
    const committed = databases.root.transaction(() => {
      const alone = unflushedQueues === 1;
      batch = alone && queued.length >= 2 ? queued.splice(0, Math.ceil(queued.length / 2)) : queued.splice(0);
      // After this callback: LMDB runs a transaction() called inside one as part of it.
      if (queued.length > 0) queueMicrotask(startQueue);
      return runQueue(batch);
    });
    unflushedQueues += 1;
    const durable = Promise.all([committed, flushOfWritesIssued()]).finally(() => {
      unflushedQueues -= 1;
    });
    void track(
      durable.then(
        ([indexWrite]) => settleQueue(batch, indexWrite),
        (error: unknown) => {
          const failure = commitFailed(error);
          for (const { reject } of batch) reject(failure);
        },
      ),
    );
  }

  return {
    append(request) {
      if (queued.length === 0 && inFlight.size === 0) return appendDirectly(request);
      return new Promise<AppendResult>((resolve, reject) => {
        queued.push({ request, resolve, reject });
        if (queued.length === 1) startQueue();
      });
    },
    async settled() {
      await Promise.allSettled(inFlight);
    },
  };
}
