import type { Observable } from 'rxjs';

/**
 * The event store port, with EventStoreDB semantics. Two adapters implement it: LMDB (embedded
 * default) and EventStoreDB (production). Both pass `test/contracts/eventStoreContract.ts`.
 */

/**
 * Opaque, totally ordered position in the global log (`$all`). Adapters encode positions so that
 * plain string comparison (`<`, `>`, {@link comparePositions}) is commit order. Never do arithmetic.
 */
export type Position = string & { readonly __brand: 'Position' };

/** What the writer expects the stream to look like before its append. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** An event to append. `id` is a UUID chosen by the writer; retries reuse it (idempotency). */
export interface EventData {
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

/** An event as stored. `revision` counts from 0 within its stream. */
export interface RecordedEvent {
  streamName: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  position: Position;
  /** ISO-8601 time the store recorded the event (store clock, not the domain's clock). */
  created: string;
}

export interface AppendResult {
  /** Revision of the last event now in the stream (pass it as the next expected revision). */
  nextExpectedRevision: number;
  /** Position of the last event appended. */
  position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive start revision; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  direction?: Direction;
  /**
   * Where to start; defaults to the start (forwards) or the end (backwards). As in EventStoreDB,
   * forwards from P includes P and backwards from P starts with the event before P.
   */
  fromPosition?: Position;
  maxCount?: number;
}

export interface SubscriptionFilter {
  /** Only events whose stream name starts with one of these prefixes. */
  streamNamePrefixes: string[];
}

export interface SubscribeToAllOptions {
  /** Exclusive: the subscription delivers events strictly after this position. Omit for the start. */
  fromPosition?: Position;
  filter?: SubscriptionFilter;
}

/**
 * What a `$all` subscription emits: history after the start position, then one `caughtUp`, then
 * live events. `checkpoint` may arrive when a filter skipped many events (a safe resume point).
 */
export type AllSubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  | { kind: 'caughtUp' }
  | { kind: 'checkpoint'; position: Position };

export interface EventStore {
  /**
   * Appends atomically to one stream.
   * @throws ConcurrencyError when the stream does not match `expectedRevision`.
   * Re-appending the same event ids at the same expected revision returns the original result.
   */
  appendToStream(
    streamName: string,
    events: EventData[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;

  /** Reads one stream; a stream that does not exist reads as `[]`. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Reads the global log; forwards from P includes P, backwards from P excludes it. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * The position of the last event in `$all` (`undefined`: the log is empty), known without a
   * read: only an engine that is the only writer of its log has it (the embedded one). Others
   * leave it out, and readers ask `readAll({ direction: 'backwards', maxCount: 1 })`.
   */
  headPosition?(): Position | undefined;

  /** Catch-up subscription to `$all`: history, then `caughtUp`, then live events. */
  subscribeToAll(options?: SubscribeToAllOptions): Observable<AllSubscriptionMessage>;

  /**
   * Retention, as EventStoreDB's `$maxAge` stream metadata: from now on, events of `streamName`
   * recorded (`created`, the store's clock) more than `maxAgeSeconds` ago are gone from
   * `readStream`, in both directions and before `maxCount` applies. The stream keeps its revisions:
   * a stream whose events all expired reads as `[]`, yet an append expecting `no_stream` conflicts
   * with its last revision. `$all` reads and subscriptions may still deliver expired events
   * (EventStoreDB does until a scavenge removes them): their consumers must not rely on either.
   * May be set before the stream exists; setting it again replaces it. Resolves once durable.
   * @throws AppError `INVALID_ARGUMENT` unless `maxAgeSeconds` is a positive integer.
   */
  setStreamMaxAge(streamName: string, maxAgeSeconds: number): Promise<void>;

  /** Releases connections and files; pending appends finish first. */
  close(): Promise<void>;
}

/** Orders two positions; `undefined` (the start) sorts before every position. */
export function comparePositions(a: Position | undefined, b: Position | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
