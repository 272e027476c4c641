import type { EventData, ExpectedRevision } from '../../ports/eventStore.ts';
import { invalidArgument } from './esdbErrors.ts';

/**
 * The port's preconditions, checked before anything is sent. Breaking one is a bug of the caller:
 * AppError `INVALID_ARGUMENT`, a hidden 500.
 */

export function assertStreamName(streamName: unknown): asserts streamName is string {
  if (typeof streamName !== 'string' || streamName === '') throw invalidArgument('Stream name must be a non-empty string.');
}

/** Appends stay out of `$`-streams: those are EventStoreDB's, and this adapter hides them when reading. */
export function assertWritableStreamName(streamName: unknown): asserts streamName is string {
  assertStreamName(streamName);
  if (streamName.startsWith('$')) throw invalidArgument('Stream names starting with $ belong to EventStoreDB.');
}

export function assertEvents(events: unknown): asserts events is EventData[] {
  if (!Array.isArray(events)) throw invalidArgument('Events must be an array.');
}

export function validExpectedRevision(expected: unknown): ExpectedRevision {
  if (
    expected === 'any' ||
    expected === 'no_stream' ||
    expected === 'stream_exists' ||
    (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0)
  ) {
    return expected;
  }
  throw invalidArgument(`Not an expected revision: ${String(expected)}.`);
}

export function validMaxCount(maxCount: number | undefined): number | undefined {
  if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
    throw invalidArgument('maxCount must be a non-negative integer.');
  }
  return maxCount;
}

export function validFromRevision(fromRevision: number | undefined): number | undefined {
  if (fromRevision !== undefined && !(Number.isSafeInteger(fromRevision) && fromRevision >= 0)) {
    throw invalidArgument('fromRevision must be a non-negative integer.');
  }
  return fromRevision;
}

export function validMaxAge(maxAgeSeconds: unknown): number {
  if (typeof maxAgeSeconds === 'number' && Number.isSafeInteger(maxAgeSeconds) && maxAgeSeconds > 0) return maxAgeSeconds;
  throw invalidArgument('maxAgeSeconds must be a positive integer.');
}
