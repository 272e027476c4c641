import { map } from 'rxjs';
import { hasUpcasters, upcast } from '../domain/upcasters.ts';
import type { EventStore, RecordedEvent } from '../ports/eventStore.ts';

/**
 * The one place where stored events meet the upcasters: every read of the wrapped store
 * (`readStream`, `readAll`, `subscribeToAll`) hands out events at the current schema version,
 * so the command handler, the projections, history, time travel and the feed never see an old
 * payload. An event already current is passed through untouched (same object, no copy).
 */
export function upcastingEventStore(store: EventStore): EventStore {
  return {
    appendToStream: (streamName, events, options) => store.appendToStream(streamName, events, options),
    readStream: async (streamName, options) => (await store.readStream(streamName, options)).map(upcastRecorded),
    readAll: async (options) => (await store.readAll(options)).map(upcastRecorded),
    subscribeToAll: (options) =>
      store.subscribeToAll(options).pipe(
        map((message) => (message.kind === 'event' ? { kind: 'event' as const, event: upcastRecorded(message.event) } : message)),
      ),
    setStreamMaxAge: (streamName, maxAgeSeconds) => store.setStreamMaxAge(streamName, maxAgeSeconds),
    close: () => store.close(),
    ...(store.headPosition ? { headPosition: () => store.headPosition!() } : {}),
  };
}

/** `event` at the current schema version of its type (the metadata says which version it now is). */
export function upcastRecorded(event: RecordedEvent): RecordedEvent {
  if (!hasUpcasters(event.type)) return event;
  const metadata = event.metadata as { schemaVersion?: number } | null;
  const stored = typeof metadata?.schemaVersion === 'number' ? metadata.schemaVersion : undefined;
  const { data, schemaVersion } = upcast(event.type, stored, event);
  if (data === event.data) return event;
  return { ...event, data, metadata: { ...(metadata ?? {}), schemaVersion } };
}
