import type { AppendExpectedRevision, EventStoreDBClient } from '@eventstore/db-client';
import { ConcurrencyError } from '../../errors/appError.ts';
import type { AppendResult, EventData, ExpectedRevision } from '../../ports/eventStore.ts';
import type { ConnectionHealth } from './connectionHealth.ts';
import { translateDriverError } from './esdbErrors.ts';
import { toDriverEvent } from './esdbEvents.ts';
import { encodePosition, LOG_START_POSITION } from './esdbPosition.ts';
import { readStreamEvents, type ReadContext } from './esdbReads.ts';

export interface AppendContext {
  client: EventStoreDBClient;
  health: ConnectionHealth;
  /** For empty appends, which are answered by reading the stream. */
  reads: ReadContext;
}

/**
 * One append through the driver (BatchAppend when the server offers it, else unary Append), with
 * its outcome translated. Sent once: a retry is the caller's, with the same ids and expected
 * revision, so that the server recognises it and answers the original result.
 */
export async function appendEvents(
  context: AppendContext,
  streamName: string,
  events: EventData[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  if (events.length === 0) return emptyAppend(context.reads, streamName, expected);
  const driverEvents = events.map(toDriverEvent);
  try {
    const result = await context.client.appendToStream(streamName, driverEvents, { expectedRevision: driverRevision(expected) });
    context.health.answered();
    return {
      nextExpectedRevision: Number(result.nextExpectedRevision),
      position: result.position === undefined ? LOG_START_POSITION : encodePosition(result.position),
    };
  } catch (error) {
    const failure = translateDriverError(error, streamName);
    context.health.failed(failure);
    throw failure;
  }
}

/**
 * An append of no events writes nothing, so the stream's last event answers it, as on the LMDB
 * store: its revision (-1 for a missing stream) and position (the start of the log for a missing
 * stream). Sending it would not do: the driver reports revision 0 for a missing stream then.
 */
async function emptyAppend(reads: ReadContext, streamName: string, expected: ExpectedRevision): Promise<AppendResult> {
  const [last] = await readStreamEvents(reads, streamName, { direction: 'backwards', maxCount: 1 });
  const revision = last?.revision ?? -1;
  const matches =
    expected === 'any' ||
    (expected === 'no_stream' && revision === -1) ||
    (expected === 'stream_exists' && revision !== -1) ||
    expected === revision;
  if (!matches) throw new ConcurrencyError(streamName, String(expected), revision === -1 ? 'no_stream' : String(revision));
  return { nextExpectedRevision: revision, position: last?.position ?? LOG_START_POSITION };
}

function driverRevision(expected: ExpectedRevision): AppendExpectedRevision {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

/**
 * Retention through EventStoreDB's own stream metadata: `{"$maxAge": seconds}` appended to the
 * metastream `$$<streamName>` (the driver's `setStreamMetadata`). The server leaves expired events
 * out of stream reads at once; a scavenge removes them later (they stay in `$all` until then).
 * The metadata is replaced as a whole: this adapter sets no other field.
 */
export async function setStreamMaxAge(context: AppendContext, streamName: string, maxAgeSeconds: number): Promise<void> {
  try {
    await context.client.setStreamMetadata(streamName, { maxAge: maxAgeSeconds });
    context.health.answered();
  } catch (error) {
    const failure = translateDriverError(error, streamName);
    context.health.failed(failure);
    throw failure;
  }
}
