import { IF_EXISTS } from 'lmdb';
import { UnavailableError } from '../../errors/appError.ts';
import type { AppendResult } from '../../ports/eventStore.ts';
import type { AppendContext, AppendRequest } from './appendEvents.ts';
import { checkGroup, type Attempt, type QueuedAppend } from './groupCheck.ts';
import { LOG_START_SEQUENCE } from './position.ts';

export interface AppendPipeline {
  append(request: AppendRequest): Promise<AppendResult>;
  /** Resolves once every append issued so far has settled. */
  settled(): Promise<void>;
}

const FIRST_ATTEMPT: Attempt = { waitedForWrites: false, recovered: false };

/**
 * Runs appends as they arrive, without waiting for the appends before them to commit.
 *
 * - The appends of one event-loop turn form a group. Each is checked against the stream index in
 *   memory, which holds the appends in flight too; the log entries of those that pass are
 *   written with one conditional write of asynchronous puts. LMDB applies them on its write
 *   thread and commits what arrives while it is busy in one transaction and one fsync (group
 *   commit). An append resolves once its transaction is durable: the environment syncs inside
 *   every commit (eventStoreDatabases.ts).
 * - The write is conditional on the log holding the sequence before its first entry. When a
 *   commit fails, every later group in flight was checked against state that never landed; their
 *   conditions fail in turn, each one's predecessor missing, so nothing lands on top of a hole.
 *   The appends of the failed commit reject; the others are checked again, once, against the
 *   stream index rebuilt from the log after every write in flight has settled.
 * - What only committed events can decide waits for the writes in flight to settle and is checked
 *   again: a conflict (an append in flight might still fail), and a retried append whose original
 *   is still in flight.
 * - When no other group is in flight, the second half of a group runs a turn later: LMDB commits
 *   the first half meanwhile, and from then on each half is checked while the other one's
 *   transaction is written.
 *
 * Measured against the design before (one LMDB transaction callback per turn running the queued
 * appends, committed with overlapping sync so that it overlapped the previous flush), in the
 * appendSequential and appendConcurrent benchmarks: a lone writer 0.84–0.90× a raw durable put
 * instead of 0.69–0.75×; a hundred writers 0.54–0.55× of raw concurrent puts instead of
 * 0.64–0.70×. One conditional write per append instead of per group: a hundred writers 0.46×.
 */
export function createAppendPipeline(context: AppendContext, onCommitted: () => void): AppendPipeline {
  const { databases, streamIndex } = context;
  /** Log writes issued and not settled. */
  const writesInFlight = promisesInFlight();
  /** Set while the stream index is rebuilt after a failed commit; appends wait for it. */
  let recovery: Promise<void> | undefined;
  const queued: QueuedAppend[] = [];
  /** Groups of appends run (or about to run) whose appends have not all settled. */
  const groupsInFlight = promisesInFlight();

  /** After a failed commit: once nothing is in flight any more, the index is rebuilt from the log. */
  const recover = (): Promise<void> =>
    (recovery ??= writesInFlight.settled().then(() => {
      streamIndex.rebuild();
      recovery = undefined;
    }));

  /** Writes log entries, if the entry before the first one landed; a full disk fails it like a failed commit. */
  const writeEntries = (sequences: number[], storedEvents: string[]): Promise<boolean> => {
    let bytes = 0;
    for (const stored of storedEvents) bytes += stored.length;
    try {
      context.space.check(2 * bytes);
    } catch (error) {
      return writesInFlight.track(Promise.reject(error));
    }
    const writeAll = () => {
      for (let index = 0; index < sequences.length; index++) databases.log.put(sequences[index]!, storedEvents[index]!);
    };
    const first = sequences[0]!;
    return writesInFlight.track(
      first - 1 === LOG_START_SEQUENCE ? databases.log.ifNoExists(first, writeAll) : databases.log.ifVersion(first - 1, IF_EXISTS, writeAll),
    );
  };

  /**
   * Checks each append of a group and writes the entries of those that pass with one conditional
   * write: they commit, or fail, together.
   */
  async function checkAndWrite(group: QueuedAppend[], attempt: Attempt): Promise<void> {
    if (recovery !== undefined) await recovery;
    if (attempt.waitedForWrites) await writesInFlight.settled();
    const { sequences, storedEvents, writing, waiting, unchecked } = checkGroup(context, group, attempt);

    const written = sequences.length === 0 ? Promise.resolve(true) : writeEntries(sequences, storedEvents);
    // After the write above is issued, so that waiting for the writes in flight includes it.
    if (waiting.length > 0) void runGroup(waiting, { ...attempt, waitedForWrites: true });
    if (unchecked.length > 0) {
      void recover(); // after the write above is issued: the rebuild waits for it
      void runGroup(unchecked, attempt);
    }
    let landed: boolean;
    try {
      landed = await written;
    } catch (error) {
      void recover();
      const failure = new UnavailableError('Appending to the event store failed.', error);
      for (const { append } of writing) append.reject(failure);
      return;
    }
    if (!landed) {
      // An earlier write in flight failed, and these appends were checked against it.
      await recover();
      if (attempt.recovered) {
        for (const { append } of writing) append.reject(new UnavailableError('Appending to the event store failed.'));
      } else {
        void runGroup(writing.map(({ append }) => append), { waitedForWrites: false, recovered: true });
      }
      return;
    }
    if (writing.length === 0) return;
    streamIndex.committed(sequences[sequences.length - 1]!);
    onCommitted();
    for (const { append, result } of writing) append.resolve(result);
  }

  /** Runs a group of appends; counts as in flight until all of them have settled. */
  const runGroup = (group: QueuedAppend[], attempt: Attempt): Promise<unknown> =>
    groupsInFlight.track(
      checkAndWrite(group, attempt).catch((error: unknown) => {
        for (const { reject } of group) reject(error); // settles those still pending (a bug)
      }),
    );

  const runQueued = (): void => {
    const group = queued.splice(0);
    if (group.length === 0) return;
    if (groupsInFlight.size > 0 || group.length < 2) {
      void runGroup(group, FIRST_ATTEMPT);
      return;
    }
    const secondHalf = group.splice(Math.ceil(group.length / 2));
    void runGroup(group, FIRST_ATTEMPT);
    void groupsInFlight.track(new Promise((resolve) => setImmediate(() => resolve(runGroup(secondHalf, FIRST_ATTEMPT)))));
  };

  return {
    append: (request) =>
      new Promise<AppendResult>((resolve, reject) => {
        queued.push({ request, resolve, reject });
        if (queued.length === 1) queueMicrotask(runQueued);
      }),
    async settled() {
      runQueued(); // those queued in this turn, now
      await groupsInFlight.settled();
    },
  };
}

/** Promises not settled yet, each forgotten once it settles. */
function promisesInFlight() {
  const running = new Set<Promise<unknown>>();
  return {
    get size(): number {
      return running.size;
    },
    track<T>(promise: Promise<T>): Promise<T> {
      const tracked = promise.finally(() => running.delete(tracked));
      running.add(tracked);
      return tracked;
    },
    /** Resolves once none is left, including those tracked while it waits. */
    async settled(): Promise<void> {
      while (running.size > 0) await Promise.allSettled(running);
    },
  };
}
