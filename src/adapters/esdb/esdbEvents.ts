import type { EventData as DriverEventData, JSONType, RecordedEvent as DriverRecordedEvent } from '@eventstore/db-client';
import type { EventData, RecordedEvent } from '../../ports/eventStore.ts';
import { invalidArgument } from './esdbErrors.ts';
import { encodePosition } from './esdbPosition.ts';

/** EventStoreDB stores event ids as UUIDs (and answers them in lower case). */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * The position of events a server older than 22.6 reads from a stream without one (it populates
 * positions only on `$all` reads there); the end of the log, so it never passes for an earlier event.
 */
const UNKNOWN_POSITION = 'f'.repeat(32);
const encoder = new TextEncoder();

/**
 * An event as the driver appends it: JSON data, and metadata already serialized to JSON bytes
 * (sent as they are, so `undefined` metadata is stored, and read back, as `null` like the LMDB store).
 * @throws AppError `INVALID_ARGUMENT` for an id that is not a UUID, an empty type or a `$`-type.
 */
export function toDriverEvent(event: EventData): DriverEventData {
  if (typeof event?.id !== 'string' || !UUID_PATTERN.test(event.id)) {
    throw invalidArgument('Event id must be a UUID.');
  }
  if (typeof event.type !== 'string' || event.type === '' || event.type.startsWith('$')) {
    throw invalidArgument('Event type must be a non-empty string that does not start with $.');
  }
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    // Any JSON value goes: the driver sends JSON.stringify(data).
    data: (event.data ?? null) as JSONType,
    metadata: encoder.encode(JSON.stringify(event.metadata ?? null)),
  };
}

/**
 * System events are EventStoreDB's own (`$`-streams such as `$$<stream>` metadata, `$user-…`,
 * `$stats-…`; `$`-types such as `$metadata`, `$>` links, `$streamDeleted`). The adapter never
 * shows them, so this store's `$all` holds what the LMDB store's holds: the service's events.
 */
export function isSystemEvent(event: DriverRecordedEvent): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

export function toRecordedEvent(event: DriverRecordedEvent): RecordedEvent {
  return {
    streamName: event.streamId,
    revision: Number(event.revision),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata ?? null,
    position: event.position === undefined ? (UNKNOWN_POSITION as RecordedEvent['position']) : encodePosition(event.position),
    created: event.created.toISOString(),
  };
}
