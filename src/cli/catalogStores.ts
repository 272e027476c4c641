import { upcastingEventStore } from '../app/upcastingEventStore.ts';
import { ConfigError, loadConfig, type Config } from '../config/config.ts';
import { openEngines } from '../engines.ts';
import type { EventStore, Position, RecordedEvent } from '../ports/eventStore.ts';
import type { ObjectStore } from '../ports/objectStore.ts';
import { CommandError } from './exitCodes.ts';

/** The catalog's stores, opened from the service's own environment variables. */
export interface CatalogStores {
  config: Config;
  eventStore: EventStore;
  objectStore: ObjectStore;
  names: { eventStore: string; objectStore: string };
  close(): Promise<void>;
}

/**
 * Opens the event store and object store the service uses (`DATA_DIR`, or `EVENTSTORE_URL` /
 * `MINIO_*`). The embedded LMDB engine belongs to one process: stop the service on that
 * `DATA_DIR` first. EventStoreDB and S3 may be used while instances run.
 */
export async function openCatalogStores(env: NodeJS.ProcessEnv): Promise<CatalogStores> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandError(error.message);
    throw error;
  }
  let engines;
  try {
    engines = await openEngines(config);
  } catch (error) {
    throw new CommandError(`The stores cannot be opened: ${(error as Error).message}`);
  }
  return {
    config,
    eventStore: upcastingEventStore(engines.eventStore),
    objectStore: engines.objectStore,
    names: engines.names,
    async close() {
      await Promise.all([engines.eventStore.close(), engines.objectStore.close()]);
    },
  };
}

/** Every event of `$all` after `after` (from the start when undefined), read in pages of `pageSize`. */
export async function* eventsAfter(eventStore: EventStore, after?: Position, pageSize = 1000): AsyncGenerator<RecordedEvent> {
  let from = after;
  for (;;) {
    const page = await eventStore.readAll({ ...(from === undefined ? {} : { fromPosition: from }), maxCount: pageSize });
    // Forwards from P includes P: only what lies after it is new.
    const fresh = from === undefined ? page : page.filter((event) => event.position > from!);
    for (const event of fresh) yield event;
    if (page.length < pageSize || fresh.length === 0) return;
    from = fresh.at(-1)!.position;
  }
}
