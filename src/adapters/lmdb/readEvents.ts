import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../../ports/eventStore.ts';
import type { EventStoreDatabases } from './eventStoreDatabases.ts';
import { invalidArgument } from './invalidArgument.ts';
import { sequenceOf } from './position.ts';
import { decodeStoredEvent } from './storedEvent.ts';
import type { StreamIndex } from './streamIndex.ts';

export function readStreamEvents(
  databases: EventStoreDatabases,
  streamIndex: StreamIndex,
  streamName: string,
  options: ReadStreamOptions,
): RecordedEvent[] {
  const maxCount = validMaxCount(options.maxCount);
  if (maxCount === 0) return [];
  const { fromRevision } = options;
  if (fromRevision !== undefined && !(Number.isSafeInteger(fromRevision) && fromRevision >= 0)) {
    throw invalidArgument('fromRevision must be a non-negative integer.');
  }
  const sequences = streamIndex.read(streamName, {
    fromRevision,
    backwards: options.direction === 'backwards',
    limit: maxCount ?? Number.POSITIVE_INFINITY,
  });
  const events: RecordedEvent[] = [];
  for (const sequence of sequences) {
    // Only right after recovering from a failed commit can the index name an event this read
    // does not see yet (the newest ones): those are left out.
    const stored = databases.log.get(sequence);
    if (stored !== undefined) events.push(decodeStoredEvent(stored, sequence));
  }
  return events;
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
