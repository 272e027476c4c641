import { checkCommit, NO_STREAM, type ExpectedRevision, type StreamFacts } from './commitCheck.ts';
import type { ProposedEvent, StoredEvent } from './storedEvent.ts';
import { systemSeedEvents } from './systemEvents.ts';

/**
 * The stand-in's in-memory store with EventStoreDB's rules. Every write is synchronous, so writes
 * are atomic and live subscribers see events in `$all` order. Positions imitate ESDB's log byte
 * offsets: increasing, with gaps (commit = prepare for ordinary appends), never reused.
 */

/** ESDB's event number of a tombstone (`long.MaxValue`). */
export const TOMBSTONE_REVISION = 2n ** 63n - 1n;
const RECORD_OVERHEAD = 128n;
const FIRST_POSITION = 1024n;
const TICKS_PER_MILLISECOND = 10_000n;
const TICKS_PER_SECOND = 10_000_000n;

export type WriteOutcome =
  | { kind: 'success'; currentRevision: bigint; position: bigint | undefined }
  | { kind: 'wrongExpectedVersion'; currentRevision: bigint }
  | { kind: 'streamDeleted' };

export type StreamRead = { kind: 'found'; events: readonly StoredEvent[] } | { kind: 'notFound' } | { kind: 'deleted' };

interface StreamState {
  /** Every event written, soft-deleted ones included; `events[n].revision === n`. */
  events: StoredEvent[];
  /** Events below this revision are hidden (ESDB's `$tb`, set by a soft delete or by metadata). */
  truncateBefore: bigint;
  /** Events older than this many seconds are hidden from reads (ESDB's `$maxAge` metadata). */
  maxAgeSeconds: number | undefined;
  softDeleted: boolean;
  tombstoned: boolean;
  /** Recent ids (ESDB keeps a bounded cache; the stand-in keeps them all). */
  revisionById: Map<string, bigint>;
}

export class EventLog {
  #all: StoredEvent[] = [];
  #streams = new Map<string, StreamState>();
  #nextPosition = FIRST_POSITION;
  #listeners = new Set<(event: StoredEvent) => void>();
  readonly #seedSystemEvents: boolean;

  constructor(options: { seedSystemEvents: boolean }) {
    this.#seedSystemEvents = options.seedSystemEvents;
    this.#seed();
  }

  /** Empties the log (positions keep increasing, so old positions are never reused). */
  reset(): void {
    this.#all = [];
    this.#streams.clear();
    this.#seed();
  }

  get all(): readonly StoredEvent[] {
    return this.#all;
  }

  get lastPosition(): bigint | undefined {
    return this.#all.at(-1)?.position;
  }

  /** Calls `listener` with every event written from now on, in `$all` order. */
  /**
   * Milliseconds by which the live deliveries of subscriptions opened from now on lag the writes
   * (0: at once), as a busy or distant node makes them: an instance whose subscriptions lag reads
   * before its read models have what another instance wrote.
   */
  liveDelayMs = 0;

  onWritten(listener: (event: StoredEvent) => void): () => void {
    let active = true;
    const delayMs = this.liveDelayMs;
    const delayed = (event: StoredEvent) => {
      // Each delivery waits the same time, so they keep their order.
      if (delayMs === 0) listener(event);
      else setTimeout(() => active && listener(event), delayMs);
    };
    this.#listeners.add(delayed);
    return () => {
      active = false;
      this.#listeners.delete(delayed);
    };
  }

  lastRevision(streamName: string): bigint {
    return this.#streams.get(streamName)?.events.at(-1)?.revision ?? NO_STREAM;
  }

  /**
   * A stream's readable events: those from `$tb` on and, with a `$maxAge`, recorded less than that
   * long ago (by the stand-in's clock, as ESDB judges by the server's). A stream whose events all
   * expired is still found, empty: it keeps its revisions.
   */
  readStream(streamName: string): StreamRead {
    const stream = this.#streams.get(streamName);
    if (stream?.tombstoned) return { kind: 'deleted' };
    if (!stream || stream.softDeleted || stream.events.length === 0) return { kind: 'notFound' };
    // The stream itself, not a copy, unless a soft delete hid its start: reads pick by index.
    const events = stream.truncateBefore === 0n ? stream.events : stream.events.slice(Number(stream.truncateBefore));
    if (stream.maxAgeSeconds === undefined) return { kind: 'found', events };
    const oldest = this.#nowTicks() - BigInt(stream.maxAgeSeconds) * TICKS_PER_SECOND;
    return { kind: 'found', events: events.filter((event) => event.created > oldest) };
  }

  append(streamName: string, expected: ExpectedRevision, events: ProposedEvent[]): WriteOutcome {
    const stream = this.#stream(streamName);
    const decision = checkCommit(facts(stream), expected, events.map((event) => event.id));
    switch (decision.kind) {
      case 'wrongExpectedVersion':
      case 'streamDeleted':
        return decision;
      case 'idempotent': {
        const original = stream.events[Number(decision.lastRevision)];
        return { kind: 'success', currentRevision: decision.lastRevision, position: original?.position };
      }
      case 'write': {
        const written = events.map((event) => this.#write(streamName, stream, event));
        if (streamName.startsWith('$$')) this.#applyMetadata(streamName.slice(2), written);
        if (decision.recreate && written.length > 0) this.#recreate(streamName, stream, written[0]!.revision);
        // An empty append still writes a (non-event) record to the log and answers its position.
        const position = written.at(-1)?.position ?? this.#reserve(RECORD_OVERHEAD);
        return { kind: 'success', currentRevision: stream.events.at(-1)?.revision ?? NO_STREAM, position };
      }
    }
  }

  /** Soft delete: ESDB writes `$tb` = max into the metadata stream `$$<name>`; the events stay in `$all`. */
  softDelete(streamName: string, expected: ExpectedRevision): WriteOutcome {
    const stream = this.#stream(streamName);
    const decision = checkCommit(facts(stream), expected, [crypto.randomUUID()]);
    if (decision.kind === 'wrongExpectedVersion' || decision.kind === 'streamDeleted') return decision;
    const metaStreamName = `$$${streamName}`;
    if (stream.events.length === 0 && this.lastRevision(metaStreamName) === NO_STREAM) {
      return { kind: 'wrongExpectedVersion', currentRevision: NO_STREAM };
    }
    stream.softDeleted = true;
    stream.truncateBefore = TOMBSTONE_REVISION;
    const written = this.#writeMetadata(metaStreamName, TOMBSTONE_REVISION);
    return { kind: 'success', currentRevision: this.lastRevision(streamName), position: written.position };
  }

  /** Hard delete: a `$streamDeleted` record ends the stream for good. */
  tombstone(streamName: string, expected: ExpectedRevision): WriteOutcome {
    const stream = this.#stream(streamName);
    const decision = checkCommit(facts(stream), expected, [crypto.randomUUID()]);
    if (decision.kind === 'wrongExpectedVersion' || decision.kind === 'streamDeleted') return decision;
    stream.tombstoned = true;
    const empty = new Uint8Array();
    const tombstone = { id: crypto.randomUUID(), type: '$streamDeleted', contentType: 'application/octet-stream', data: empty, metadata: empty };
    const record = this.#record(streamName, TOMBSTONE_REVISION, tombstone);
    this.#publish(record);
    return { kind: 'success', currentRevision: TOMBSTONE_REVISION, position: record.position };
  }

  #stream(streamName: string): StreamState {
    let stream = this.#streams.get(streamName);
    if (!stream) {
      stream = { events: [], truncateBefore: 0n, maxAgeSeconds: undefined, softDeleted: false, tombstoned: false, revisionById: new Map() };
      this.#streams.set(streamName, stream);
    }
    return stream;
  }

  #write(streamName: string, stream: StreamState, event: ProposedEvent): StoredEvent {
    const record = this.#record(streamName, BigInt(stream.events.length), event);
    stream.events.push(record);
    stream.revisionById.set(record.id, record.revision);
    this.#publish(record);
    return record;
  }

  /** A write after a soft delete brings the stream back from its next revision on. */
  #recreate(streamName: string, stream: StreamState, fromRevision: bigint): void {
    stream.softDeleted = false;
    stream.truncateBefore = fromRevision;
    this.#writeMetadata(`$$${streamName}`, fromRevision);
  }

  /**
   * A client's `$metadata` event in `$$<name>` replaces the stream's metadata, as on ESDB: `$maxAge`
   * (seconds) and `$tb` are served; a field left out is unset.
   */
  #applyMetadata(streamName: string, written: StoredEvent[]): void {
    const last = written.filter((event) => event.type === '$metadata').at(-1);
    if (last === undefined) return;
    let metadata: { $maxAge?: unknown; $tb?: unknown };
    try {
      metadata = JSON.parse(new TextDecoder().decode(last.data)) as typeof metadata;
    } catch {
      return; // ESDB keeps metadata it cannot parse as none
    }
    const stream = this.#stream(streamName);
    stream.maxAgeSeconds = typeof metadata.$maxAge === 'number' && metadata.$maxAge > 0 ? metadata.$maxAge : undefined;
    stream.truncateBefore = typeof metadata.$tb === 'number' ? BigInt(metadata.$tb) : 0n;
  }

  #writeMetadata(metaStreamName: string, truncateBefore: bigint): StoredEvent {
    // Written by hand: JSON.stringify cannot print long.MaxValue exactly. A max age set before stays.
    const maxAge = this.#streams.get(metaStreamName.slice(2))?.maxAgeSeconds;
    const data = new TextEncoder().encode(`{"$tb":${truncateBefore}${maxAge === undefined ? '' : `,"$maxAge":${maxAge}`}}`);
    const event = { id: crypto.randomUUID(), type: '$metadata', contentType: 'application/json', data, metadata: new Uint8Array() };
    return this.#write(metaStreamName, this.#stream(metaStreamName), event);
  }

  #record(streamName: string, revision: bigint, event: ProposedEvent): StoredEvent {
    const payload = Buffer.byteLength(streamName) + Buffer.byteLength(event.type) + event.data.length + event.metadata.length;
    const position = this.#reserve(RECORD_OVERHEAD + BigInt(payload));
    return { ...event, streamName, revision, position, created: this.#nowTicks() };
  }

  #nowTicks(): bigint {
    return BigInt(Date.now()) * TICKS_PER_MILLISECOND;
  }

  /** Takes `size` bytes of the imitated log; answers where they start. */
  #reserve(size: bigint): bigint {
    const position = this.#nextPosition;
    this.#nextPosition += size;
    return position;
  }

  #publish(record: StoredEvent): void {
    this.#all.push(record);
    for (const listener of [...this.#listeners]) listener(record);
  }

  #seed(): void {
    if (!this.#seedSystemEvents) return;
    for (const { streamName, event } of systemSeedEvents()) this.append(streamName, 'any', [event]);
  }
}

function facts(stream: StreamState): StreamFacts {
  return {
    lastRevision: stream.events.at(-1)?.revision ?? NO_STREAM,
    tombstoned: stream.tombstoned,
    softDeleted: stream.softDeleted,
    idAt: (revision) => stream.events[Number(revision)]?.id,
    revisionOfId: (id) => stream.revisionById.get(id),
  };
}
