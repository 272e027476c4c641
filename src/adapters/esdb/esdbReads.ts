import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  type EventStoreDBClient,
  type Position as DriverPosition,
  type ReadPosition,
} from '@eventstore/db-client';
import { UnavailableError } from '../../errors/appError.ts';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../../ports/eventStore.ts';
import type { ConnectionHealth } from './connectionHealth.ts';
import { assertStreamName, validFromRevision, validMaxCount } from './esdbArguments.ts';
import { isStreamNotFound, translateDriverError } from './esdbErrors.ts';
import { isSystemEvent, toRecordedEvent } from './esdbEvents.ts';
import { decodePosition, LOG_START_POSITION } from './esdbPosition.ts';

/**
 * `$all` is read in pages when a `maxCount` is given, because the system events the adapter
 * leaves out still count against the server's limit. A page holds at least this many records.
 */
const MIN_ALL_PAGE = 32;

export interface ReadContext {
  client: EventStoreDBClient;
  health: ConnectionHealth;
  /** Pauses between attempts of a read that met an UnavailableError; one more attempt than delays. */
  retryDelaysMs: readonly number[];
  isClosed(): boolean;
}

/** Reads one stream; a missing stream reads as `[]`. */
export async function readStreamEvents(context: ReadContext, streamName: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
  assertStreamName(streamName);
  const maxCount = validMaxCount(options.maxCount);
  const fromRevision = validFromRevision(options.fromRevision);
  if (maxCount === 0) return [];
  const backwards = options.direction === 'backwards';
  const readOptions = {
    direction: backwards ? BACKWARDS : FORWARDS,
    fromRevision: fromRevision === undefined ? (backwards ? END : START) : BigInt(fromRevision),
    maxCount,
  } as const;
  return withReadRetries(context, streamName, async () => {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of context.client.readStream(streamName, readOptions)) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return events;
  });
}

/** Reads `$all` without system events; forwards from P includes P, backwards from P excludes it. */
export async function readAllEvents(context: ReadContext, options: ReadAllOptions): Promise<RecordedEvent[]> {
  const maxCount = validMaxCount(options.maxCount);
  const backwards = options.direction === 'backwards';
  let from: ReadPosition = backwards ? END : START;
  if (options.fromPosition !== undefined) {
    const decoded = decodePosition(options.fromPosition);
    if (options.fromPosition === LOG_START_POSITION) {
      if (backwards) return [];
    } else {
      from = decoded;
    }
  }
  if (maxCount === 0) return [];
  return withReadRetries(context, undefined, () => readAllPages(context.client, from, backwards, maxCount));
}

async function readAllPages(
  client: EventStoreDBClient,
  start: ReadPosition,
  backwards: boolean,
  maxCount: number | undefined,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let from = start;
  // Forwards, the next page starts at the last record read (inclusive): that record is skipped.
  let alreadyRead: DriverPosition | undefined;
  for (;;) {
    const pageSize = maxCount === undefined ? undefined : Math.max(MIN_ALL_PAGE, maxCount - events.length + 1);
    let records = 0;
    let last: DriverPosition | undefined;
    // Every page is read to its end (never abandoned half-way) so that no gRPC call is left open.
    for await (const resolved of client.readAll({ fromPosition: from, direction: backwards ? BACKWARDS : FORWARDS, maxCount: pageSize })) {
      records += 1;
      const event = resolved.event;
      if (!event) continue;
      last = event.position;
      if (alreadyRead !== undefined && samePosition(event.position, alreadyRead)) continue;
      if (!isSystemEvent(event)) events.push(toRecordedEvent(event));
    }
    if (maxCount !== undefined && events.length >= maxCount) return events.slice(0, maxCount);
    if (pageSize === undefined || records < pageSize || last === undefined) return events;
    from = last;
    if (!backwards) alreadyRead = last;
  }
}

async function withReadRetries<T>(context: ReadContext, streamName: string | undefined, read: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await read();
      context.health.answered();
      return result;
    } catch (error) {
      const failure = translateDriverError(error, streamName);
      context.health.failed(failure);
      const delay = context.retryDelaysMs[attempt];
      if (!(failure instanceof UnavailableError) || delay === undefined || context.isClosed()) throw failure;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function samePosition(a: DriverPosition, b: DriverPosition): boolean {
  return a.commit === b.commit && a.prepare === b.prepare;
}
