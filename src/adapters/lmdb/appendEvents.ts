import { ConcurrencyError } from '../../errors/appError.ts';
import type { AppendResult, ExpectedRevision } from '../../ports/eventStore.ts';
import type { DiskSpaceGuard } from './diskSpaceGuard.ts';
import type { EventStoreDatabases } from './eventStoreDatabases.ts';
import { describeRevision, isExpectedRevision, NO_STREAM_REVISION } from './expectedRevision.ts';
import { LOG_START_SEQUENCE, positionOf } from './position.ts';
import type { RecentEventIds } from './recentEventIds.ts';
import { decodeStoredEvent, encodeStoredEvent, type SerializedEvent } from './storedEvent.ts';
import type { StreamIndex } from './streamIndex.ts';

export interface AppendContext {
  databases: EventStoreDatabases;
  streamIndex: StreamIndex;
  recentEventIds: RecentEventIds;
  /** The store clock; `created` of every event of a transaction. */
  now: () => Date;
  /** Refuses a log write on a full disk before LMDB sees it. */
  space: DiskSpaceGuard;
}

export interface AppendRequest {
  streamName: string;
  streamNameJson: string;
  events: SerializedEvent[];
  expectedRevision: ExpectedRevision;
}

/** Writes one stored event to the log at its sequence. */
export type WriteLogEntry = (sequence: number, storedEvent: string) => void;

/**
 * The answer when deciding needs an event that is still in flight (a retry of an append not yet
 * committed): check again once the writes in flight have settled.
 */
export const WAIT_FOR_WRITES = Symbol('wait for the writes in flight');

/**
 * Checks one append against the stream index (appends in flight included) and hands its events
 * to `writeLogEntry`, adding them to the index. Nothing else may append between its reads and its
 * writes. Everything that can refuse the append throws before the first write.
 */
export function appendEvents(
  context: AppendContext,
  request: AppendRequest,
  created: string,
  writeLogEntry: WriteLogEntry,
): AppendResult | typeof WAIT_FOR_WRITES {
  const { streamIndex, recentEventIds } = context;
  const { streamName, events, expectedRevision } = request;
  const revisionBefore = streamIndex.currentRevision(streamName);

  const retried = originalResultOfRetry(context, request, revisionBefore);
  if (retried !== undefined) return retried;
  if (!isExpectedRevision(expectedRevision, revisionBefore)) throw conflict(request, revisionBefore);
  if (events.length === 0) return resultAtRevision(streamIndex, streamName, revisionBefore);

  // Retries reuse their original expected revision; only `any` and `stream_exists` retries need
  // to find the events by id.
  const locatedById = expectedRevision === 'any' || expectedRevision === 'stream_exists';
  let sequence = streamIndex.lastSequence();
  let revision = revisionBefore;
  for (const event of events) {
    sequence += 1;
    revision += 1;
    writeLogEntry(sequence, encodeStoredEvent(request.streamNameJson, revision, created, event));
    streamIndex.add(streamName, revision, sequence);
    if (locatedById) recentEventIds.remember(event.id, { streamName, revision });
  }
  return { nextExpectedRevision: revision, position: positionOf(sequence) };
}

/**
 * EventStoreDB's idempotency: when the events already follow the expected revision in the stream
 * (same ids, same order), the append was done before and its original result is returned. With
 * `any` / `stream_exists` the first id is located instead (best effort). Finding only the first
 * events of the append there is a conflict, like EventStoreDB's "corrupted idempotency".
 */
function originalResultOfRetry(
  context: AppendContext,
  request: AppendRequest,
  revisionBefore: number,
): AppendResult | typeof WAIT_FOR_WRITES | undefined {
  const { streamName, events, expectedRevision } = request;
  const [first] = events;
  if (first === undefined) return undefined;

  let fromRevision: number;
  if (expectedRevision === 'any' || expectedRevision === 'stream_exists') {
    const location = context.recentEventIds.locate(first.id);
    if (location === undefined || location.streamName !== streamName) return undefined;
    fromRevision = location.revision;
  } else {
    const expected = expectedRevision === 'no_stream' ? NO_STREAM_REVISION : expectedRevision;
    if (revisionBefore <= expected) return undefined;
    fromRevision = expected + 1;
  }

  const match = matchStoredEvents(context, streamName, fromRevision, events);
  if (match === 'none') return undefined;
  if (match === 'in flight') return WAIT_FOR_WRITES;
  if (match === 'partial') throw conflict(request, revisionBefore);
  return match;
}

/**
 * Whether the stream holds the ids of `events`, in order, from `fromRevision` on; 'in flight' when
 * that depends on events not committed yet.
 */
function matchStoredEvents(
  { databases, streamIndex }: AppendContext,
  streamName: string,
  fromRevision: number,
  events: SerializedEvent[],
): AppendResult | 'none' | 'partial' | 'in flight' {
  let sequence = LOG_START_SEQUENCE;
  for (const [index, event] of events.entries()) {
    const storedSequence = streamIndex.sequenceAt(streamName, fromRevision + index);
    if (storedSequence !== undefined && storedSequence > streamIndex.durableSequence()) return 'in flight';
    const stored = storedSequence === undefined ? undefined : databases.log.get(storedSequence);
    if (storedSequence === undefined || stored === undefined || decodeStoredEvent(stored, storedSequence).id !== event.id) {
      return index === 0 ? 'none' : 'partial';
    }
    sequence = storedSequence;
  }
  return { nextExpectedRevision: fromRevision + events.length - 1, position: positionOf(sequence) };
}

function resultAtRevision(streamIndex: StreamIndex, streamName: string, revision: number): AppendResult {
  const sequence = revision === NO_STREAM_REVISION ? undefined : streamIndex.sequenceAt(streamName, revision);
  return { nextExpectedRevision: revision, position: positionOf(sequence ?? LOG_START_SEQUENCE) };
}

function conflict(request: AppendRequest, revisionBefore: number): ConcurrencyError {
  return new ConcurrencyError(
    request.streamName,
    describeRevision(request.expectedRevision),
    describeRevision(revisionBefore),
  );
}
