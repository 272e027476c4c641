import { EventStoreDBClient } from '@eventstore/db-client';
import type { Subscriber } from 'rxjs';
import { AppError, UnavailableError } from '../../errors/appError.ts';
import type { AllSubscriptionMessage, EventStore } from '../../ports/eventStore.ts';
import { createConnectionHealth } from './connectionHealth.ts';
import { assertEvents, assertWritableStreamName, validExpectedRevision, validMaxAge } from './esdbArguments.ts';
import { appendEvents, setStreamMaxAge, type AppendContext } from './esdbAppends.ts';
import { invalidArgument } from './esdbErrors.ts';
import { readAllEvents, readStreamEvents, type ReadContext } from './esdbReads.ts';
import { subscribeToAllEvents, type SubscriptionContext } from './esdbSubscription.ts';

/** Options of {@link openEsdbEventStore}. */
export interface EsdbEventStoreOptions {
  /**
   * An EventStoreDB connection string, e.g. `esdb://127.0.0.1:2113?tls=false` (single node, no
   * gossip) or `esdb+discover://node1:2113,node2:2113?tls=true` (cluster). Client settings such
   * as `defaultDeadline` or `keepAliveInterval` go in it. `throwOnAppendFailure=false` is refused:
   * with it the driver misreports conflicts on BatchAppend.
   */
  connectionString: string;
  /**
   * A filtered subscription reports a checkpoint every `checkpointInterval × 32` events the server
   * scanned (default 32, about every 1,000 like the LMDB store), so a consumer can save progress
   * through long runs of other streams.
   */
  checkpointInterval?: number;
  /**
   * Pauses between the attempts of a read that met an UnavailableError (default `[50, 200, 800]`
   * ms: four attempts within about a second). Appends are never retried here: the command handler
   * re-sends them with the same event ids and expected revision, which the server deduplicates.
   */
  readRetryDelaysMs?: readonly number[];
}

/** The EventStoreDB adapter: the port, plus a health signal for readiness checks. */
export interface EsdbEventStore extends EventStore {
  /**
   * Whether the server answered lately: the outcome of the latest append, read or subscription
   * message (false until the first answer and after an UnavailableError). Makes no call itself.
   */
  isConnected(): boolean;
}

const DEFAULT_CHECKPOINT_INTERVAL = 32;
const DEFAULT_READ_RETRY_DELAYS_MS = [50, 200, 800];

/**
 * Opens the production event store on EventStoreDB through `@eventstore/db-client` (6.2.1).
 * Makes no call yet: a single-node connection string connects on first use.
 *
 * - Streams are the domain's names (`productMedia-<pk>`, `settings`…); `$`-streams and `$`-types
 *   are EventStoreDB's own and are refused on append.
 * - Events are JSON with JSON metadata; ids must be UUIDs (the server returns them lower-case).
 * - Positions are the server's `{ commit, prepare }` as 16 + 16 hex digits, so string order is log
 *   order; other strings are refused with AppError `INVALID_POSITION` (400). An append that wrote
 *   nothing answers the stream's last event position, or `000…0` (the start) for a missing stream.
 * - `readAll` and `subscribeToAll` leave out system events (`$`-streams or `$`-types), so `$all`
 *   holds what it holds on the LMDB store (the `$metadata` events of `setStreamMaxAge` included).
 * - Needs EventStoreDB ≥ 23.10: older servers send no `caughtUp` (a subscription would never
 *   report it) and, before 22.6, no positions on stream reads.
 * - Driver errors become ours: wrong expected version → ConcurrencyError; unreachable, deadline,
 *   timeout, not leader, cancelled by the server → UnavailableError. Reads are retried a few times
 *   on UnavailableError; appends are not (see {@link EsdbEventStoreOptions.readRetryDelaysMs}).
 * - `close()` lets pending appends and reads finish, completes open subscriptions, then disposes
 *   of the client.
 *
 * @example
 * const store = await openEsdbEventStore({ connectionString: 'esdb://127.0.0.1:2113?tls=false' });
 * await store.appendToStream('settings', [event], { expectedRevision: 'no_stream' });
 * await store.close();
 * @throws AppError `INVALID_ARGUMENT` for a connection string or option the client refuses.
 */
export async function openEsdbEventStore(options: EsdbEventStoreOptions): Promise<EsdbEventStore> {
  const checkpointInterval = options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
  if (!(Number.isSafeInteger(checkpointInterval) && checkpointInterval > 0)) {
    throw invalidArgument('checkpointInterval must be a positive integer.');
  }
  const retryDelaysMs = [...(options.readRetryDelaysMs ?? DEFAULT_READ_RETRY_DELAYS_MS)];
  if (retryDelaysMs.some((delay) => !(Number.isFinite(delay) && delay >= 0))) {
    throw invalidArgument('readRetryDelaysMs must hold non-negative numbers.');
  }
  const client = connect(options.connectionString);
  const health = createConnectionHealth();
  const pending = new Set<Promise<unknown>>();
  const openSubscribers = new Set<Subscriber<AllSubscriptionMessage>>();
  let closing: Promise<void> | undefined;
  const reads: ReadContext = { client, health, retryDelaysMs, isClosed: () => closing !== undefined };
  const subscriptions: SubscriptionContext = { client, health, checkpointInterval, openSubscribers };
  const appends: AppendContext = { client, health, reads };

  const assertOpen = (): void => {
    if (closing !== undefined) throw new UnavailableError('The event store is closed.');
  };
  /** Keeps `operation` in `pending` until it settles, so that `close()` can wait for it. */
  const tracked = <T>(operation: Promise<T>): Promise<T> => {
    pending.add(operation);
    const forget = () => void pending.delete(operation);
    operation.then(forget, forget);
    return operation;
  };

  return {
    // Checked and registered in the calling turn (async functions run that far synchronously),
    // so a close() called right after still waits for these.
    async appendToStream(streamName, events, appendOptions = {}) {
      assertOpen();
      assertWritableStreamName(streamName);
      assertEvents(events);
      const expected = validExpectedRevision(appendOptions.expectedRevision ?? 'any');
      return tracked(appendEvents(appends, streamName, events, expected));
    },

    async readStream(streamName, readOptions = {}) {
      assertOpen();
      return tracked(readStreamEvents(reads, streamName, readOptions));
    },

    async readAll(readOptions = {}) {
      assertOpen();
      return tracked(readAllEvents(reads, readOptions));
    },

    subscribeToAll(subscribeOptions = {}) {
      assertOpen();
      return subscribeToAllEvents(subscriptions, subscribeOptions);
    },

    async setStreamMaxAge(streamName, maxAgeSeconds) {
      assertOpen();
      assertWritableStreamName(streamName);
      return tracked(setStreamMaxAge(appends, streamName, validMaxAge(maxAgeSeconds)));
    },

    isConnected: () => health.isConnected(),

    close() {
      closing ??= (async () => {
        await Promise.allSettled([...pending]);
        for (const subscriber of [...openSubscribers]) subscriber.complete();
        await client.dispose();
      })();
      return closing;
    },
  };
}

function connect(connectionString: string): EventStoreDBClient {
  if (typeof connectionString !== 'string' || connectionString === '') {
    throw invalidArgument('connectionString must be an EventStoreDB connection string.');
  }
  if (/[?&]throwOnAppendFailure=false(&|$)/i.test(connectionString)) {
    throw invalidArgument('throwOnAppendFailure=false is not supported: the driver misreports conflicts with it.');
  }
  try {
    return EventStoreDBClient.connectionString(connectionString);
  } catch (error) {
    // The driver's message may quote the string, credentials included: it stays in the cause.
    throw new AppError('INVALID_ARGUMENT', 'Not a usable EventStoreDB connection string.', { cause: error });
  }
}
