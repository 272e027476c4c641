import { LOG_START_SEQUENCE, positionOf } from './position.ts';
import type { Subscriber } from 'rxjs';
import { UnavailableError } from '../../errors/appError.ts';
import type {
  AllSubscriptionMessage,
  EventData,
  EventStore,
  ExpectedRevision,
} from '../../ports/eventStore.ts';
import { subscribeToAllEvents, type AllSubscriptionContext } from './allSubscription.ts';
import { createAppendPipeline } from './appendPipeline.ts';
import { createCommitSignal } from './commitSignal.ts';
import { diskSpaceGuard, type DiskSpaceGuard } from './diskSpaceGuard.ts';
import { assertValidStreamName, openEventStoreDatabases } from './eventStoreDatabases.ts';
import { isValidExpectedRevision } from './expectedRevision.ts';
import { invalidArgument } from './invalidArgument.ts';
import { readAllEvents, readStreamEvents } from './readEvents.ts';
import { createRecentEventIds } from './recentEventIds.ts';
import { createStreamIndex } from './streamIndex.ts';
import { serializeEvent } from './storedEvent.ts';
import { setStreamMaxAge } from './streamRetention.ts';

/** How many recent event ids are kept to recognise retried appends with expected revision `any`. */
const RECENT_EVENT_IDS_KEPT = 10_000;
/**
 * Stream index entries kept in memory before they are persisted in one go. More means fewer
 * index pages written per event, more memory, and a longer log scan when reopening after a crash.
 */
const STREAM_INDEX_FLUSH_ENTRIES = 8192;

/** Options of {@link openLmdbEventStore}. */
export interface LmdbEventStoreOptions {
  /** Directory of the LMDB environment; created when missing. */
  path: string;
  /** The store clock for `RecordedEvent.created`; defaults to the system clock. Inject it in tests. */
  now?: () => Date;
  /**
   * How many log entries a `$all` subscription reads and emits before yielding to the event loop
   * (default 1000). Larger batches replay faster; smaller ones let consumers' async work interleave.
   */
  subscriptionBatchSize?: number;
  /**
   * A filtered `$all` subscription emits a checkpoint after this many consecutive skipped events
   * (default 1000), so its consumer can save progress through long runs of other streams.
   */
  checkpointAfterSkipped?: number;
  /** What refuses writes on a full disk (default: `diskSpaceGuard` on `path`; tests inject their own). */
  space?: DiskSpaceGuard;
}

/**
 * Opens the embedded event store: two LMDB environments, the global log (`<path>/log`) and a
 * per-stream index (`<path>`), with EventStoreDB semantics (expected revisions, idempotent
 * retries, `$all` positions, catch-up subscriptions).
 *
 * - An append resolves only once its transaction is durable on disk. Appends issued while a
 *   transaction commits share the next one and its fsync (group commit).
 * - Positions are 16 hex digits of a global sequence number: string order is commit order.
 * - An empty append to a missing stream (`no_stream` or `any`) answers revision -1 and the
 *   position before every event, `0000000000000000`.
 * - `close()` lets pending appends finish, completes open subscriptions, then closes the files.
 * - On a nearly full disk (less than 4 MiB free) an append is refused before LMDB writes, and
 *   rejects with UnavailableError (503), as a failed commit does: see diskSpaceGuard.ts.
 * - A stream's max age hides its expired events from stream reads; they stay in the log and in
 *   `$all` (see streamRetention.ts for why they are not removed).
 *
 * One process, and one store per environment: the newest part of the stream index, the commit
 * signal that wakes live subscriptions and the check of expected revisions all live in this
 * process's memory. Other processes must neither write to the environments nor read them.
 *
 * @example
 * const store = await openLmdbEventStore({ path: join(dataDir, 'events') });
 * await store.appendToStream('settings', [event], { expectedRevision: 'no_stream' });
 * await store.close();
 */
export async function openLmdbEventStore(options: LmdbEventStoreOptions): Promise<EventStore> {
  const tuning = {
    batchSize: positiveInteger(options.subscriptionBatchSize ?? 1000, 'subscriptionBatchSize'),
    checkpointAfterSkipped: positiveInteger(options.checkpointAfterSkipped ?? 1000, 'checkpointAfterSkipped'),
  };
  const databases = openEventStoreDatabases(options.path);
  const space = options.space ?? diskSpaceGuard({ path: options.path, what: 'Events' });
  const now = options.now ?? (() => new Date());
  const commits = createCommitSignal();
  const streamIndex = createStreamIndex(databases, STREAM_INDEX_FLUSH_ENTRIES, space);
  const appends = createAppendPipeline(
    {
      databases,
      streamIndex,
      recentEventIds: createRecentEventIds(RECENT_EVENT_IDS_KEPT),
      now,
      space,
    },
    commits.notify,
  );
  const subscriptions: AllSubscriptionContext = {
    databases,
    durableSequence: streamIndex.durableSequence,
    commits,
    tuning,
    openSubscribers: new Set<Subscriber<AllSubscriptionMessage>>(),
  };
  let closing: Promise<void> | undefined;

  const assertOpen = (): void => {
    if (closing !== undefined) throw new UnavailableError('The event store is closed.');
  };

  return {
    async appendToStream(streamName, events, appendOptions = {}) {
      assertOpen();
      return appends.append({
        streamName,
        streamNameJson: JSON.stringify(streamName),
        events: validEvents(streamName, events).map(serializeEvent),
        expectedRevision: validExpectedRevision(appendOptions.expectedRevision ?? 'any'),
      });
    },

    async readStream(streamName, readOptions = {}) {
      assertOpen();
      assertValidStreamName(streamName);
      return readStreamEvents(databases, streamIndex, streamName, readOptions, now);
    },

    async readAll(readOptions = {}) {
      assertOpen();
      return readAllEvents(databases, readOptions, streamIndex.durableSequence());
    },

    // This process is the log's only writer: its last durable sequence is the head.
    headPosition() {
      const sequence = streamIndex.durableSequence();
      return sequence === LOG_START_SEQUENCE ? undefined : positionOf(sequence);
    },

    subscribeToAll(subscribeOptions = {}) {
      assertOpen();
      return subscribeToAllEvents(subscriptions, subscribeOptions);
    },

    async setStreamMaxAge(streamName, maxAgeSeconds) {
      assertOpen();
      assertValidStreamName(streamName);
      await setStreamMaxAge(databases, space, streamName, maxAgeSeconds);
    },

    close() {
      closing ??= (async () => {
        await appends.settled();
        for (const subscriber of [...subscriptions.openSubscribers]) subscriber.complete();
        // Spares the next open from rebuilding the memtable out of the log.
        await streamIndex.flush();
        await databases.close();
      })();
      return closing;
    },
  };
}

function validEvents(streamName: string, events: EventData[]): EventData[] {
  assertValidStreamName(streamName);
  if (!Array.isArray(events)) throw invalidArgument('Events must be an array.');
  return events;
}

function validExpectedRevision(expected: ExpectedRevision): ExpectedRevision {
  if (!isValidExpectedRevision(expected)) {
    throw invalidArgument(`Not an expected revision: ${String(expected)}.`);
  }
  return expected;
}

function positiveInteger(value: number, option: string): number {
  if (!(Number.isSafeInteger(value) && value > 0)) throw invalidArgument(`${option} must be a positive integer.`);
  return value;
}
