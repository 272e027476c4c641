import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../../ports/eventStore.ts';
import type { EventStoreDatabases } from './eventStoreDatabases.ts';
import { invalidArgument } from './invalidArgument.ts';
import { sequenceOf } from './position.ts';
import { decodeStoredEvent } from './storedEvent.ts';
import type { StreamIndex } from './streamIndex.ts';
import { isRetained, maxAgeMsOf } from './streamRetention.ts';

/**
 * One stream's committed events. A stream with a max age (streamRetention.ts) leaves out the
 * expired ones before `maxCount` applies; such streams (sessions, idempotency keys) are short, so
 * they are read whole and then cut.
 */
export function readStreamEvents(
  databases: EventStoreDatabases,
  streamIndex: StreamIndex,
  streamName: string,
  options: ReadStreamOptions,
  now: () => Date,
): RecordedEvent[] {
  const maxCount = validMaxCount(options.maxCount);
  if (maxCount === 0) return [];
  const { fromRevision } = options;
  if (fromRevision !== undefined && !(Number.isSafeInteger(fromRevision) && fromRevision >= 0)) {
    throw invalidArgument('fromRevision must be a non-negative integer.');
  }
  const maxAgeMs = maxAgeMsOf(databases, streamName);
  const sequences = streamIndex.read(streamName, {
    fromRevision,
    backwards: options.direction === 'backwards',
    limit: maxAgeMs === undefined ? (maxCount ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY,
  });
  const events: RecordedEvent[] = [];
  for (const sequence of sequences) {
    // Only right after recovering from a failed commit can the index name an event this read
    // does not see yet (the newest ones): those are left out.
    const stored = databases.log.get(sequence);
    if (stored !== undefined) events.push(decodeStoredEvent(stored, sequence));
  }
  if (maxAgeMs === undefined) return events;
  const at = now();
  const retained = events.filter((event) => isRetained(event, maxAgeMs, at));
  return maxCount === undefined ? retained : retained.slice(0, maxCount);
}

/** `$all` up to `durableSequence` (inclusive): an append whose commit is not reported yet is not read. */
export function readAllEvents(databases: EventStoreDatabases, options: ReadAllOptions, durableSequence: number): RecordedEvent[] {
  const maxCount = validMaxCount(options.maxCount);
  if (maxCount === 0) return [];
  const backwards = options.direction === 'backwards';
  const from = options.fromPosition === undefined ? undefined : sequenceOf(options.fromPosition);
  // As in EventStoreDB: forwards from P includes P, backwards from P starts before it.
  const start = from === undefined ? undefined : backwards ? from - 1 : from;
  if (start !== undefined && start < 1 && backwards) return [];
  const events: RecordedEvent[] = [];
  const range = backwards
    ? { start: Math.min(start ?? durableSequence, durableSequence), reverse: true, limit: maxCount }
    : { start, end: durableSequence + 1, limit: maxCount };
  for (const { key, value } of databases.log.getRange(range)) {
    events.push(decodeStoredEvent(value, key));
  }
  return events;
}

function validMaxCount(maxCount: number | undefined): number | undefined {
  if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
    throw invalidArgument('maxCount must be a non-negative integer.');
  }
  return maxCount;
}
