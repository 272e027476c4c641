import type { EventData, RecordedEvent } from '../../ports/eventStore.ts';
import { invalidArgument } from './invalidArgument.ts';
import { MAX_KEY_PART_BYTES } from './eventStoreDatabases.ts';
import { positionOf } from './position.ts';

/**
 * How one event is stored in the log: the JSON text of
 * `[streamName, revision, id, type, created, data, metadata]`.
 *
 * A tuple rather than an object keeps records small (fewer bytes to write and parse), and putting
 * the stream name first lets filtered subscriptions test a prefix on the raw text without parsing
 * events they skip. Data and metadata are JSON, as in EventStoreDB: `undefined` reads back as null.
 */
type StoredEventTuple = [string, number, string, string, string, unknown, unknown];

/** An event validated and serialized before it enters a write transaction (so nothing throws there). */
export interface SerializedEvent {
  id: string;
  /** `id, type` as JSON, followed by `,created,data,metadata` at write time. */
  idAndTypeJson: string;
  dataAndMetadataJson: string;
}

export function serializeEvent(event: EventData): SerializedEvent {
  if (typeof event?.id !== 'string' || event.id === '' || Buffer.byteLength(event.id) > MAX_KEY_PART_BYTES) {
    throw invalidArgument(`Event id must be a non-empty string of at most ${MAX_KEY_PART_BYTES} bytes.`);
  }
  if (typeof event.type !== 'string' || event.type === '') {
    throw invalidArgument('Event type must be a non-empty string.');
  }
  return {
    id: event.id,
    idAndTypeJson: `${JSON.stringify(event.id)},${JSON.stringify(event.type)}`,
    dataAndMetadataJson: `${toJson(event.data)},${toJson(event.metadata)}`,
  };
}

function toJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

export function encodeStoredEvent(
  streamNameJson: string,
  revision: number,
  created: string,
  event: SerializedEvent,
): string {
  return `[${streamNameJson},${revision},${event.idAndTypeJson},"${created}",${event.dataAndMetadataJson}]`;
}

export function decodeStoredEvent(storedEvent: string, sequence: number): RecordedEvent {
  const [streamName, revision, id, type, created, data, metadata] = JSON.parse(storedEvent) as StoredEventTuple;
  return { streamName, revision, id, type, data, metadata, position: positionOf(sequence), created };
}

/**
 * A test on the stored text that a stream name starts with one of `prefixes`. JSON escapes a
 * string character by character, so the escaped prefix is a prefix of the escaped name.
 */
export function storedStreamNameStartsWith(prefixes: readonly string[]): (storedEvent: string) => boolean {
  const storedPrefixes = prefixes.map((prefix) => `[${JSON.stringify(prefix).slice(0, -1)}`);
  return (storedEvent) => storedPrefixes.some((storedPrefix) => storedEvent.startsWith(storedPrefix));
}
