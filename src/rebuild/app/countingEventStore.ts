import { tap } from 'rxjs';
import type { EventStore } from '../../ports/eventStore.ts';

/** `store` whose subscriptions tell `onEvent` of every event they deliver (a rebuild's progress). */
export function countingEventStore(store: EventStore, onEvent: () => void): EventStore {
  return {
    appendToStream: (streamName, events, options) => store.appendToStream(streamName, events, options),
    readStream: (streamName, options) => store.readStream(streamName, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) =>
      store.subscribeToAll(options).pipe(
        tap((message) => {
          if (message.kind === 'event') onEvent();
        }),
      ),
    setStreamMaxAge: (streamName, maxAgeSeconds) => store.setStreamMaxAge(streamName, maxAgeSeconds),
    close: () => store.close(),
    ...(store.headPosition ? { headPosition: () => store.headPosition!() } : {}),
  };
}
