import { join } from 'node:path';
import { openEsdbEventStore } from './adapters/esdb/esdbEventStore.ts';
import { openFsObjectStore } from './adapters/fs/fsObjectStore.ts';
import { openLmdbEventStore } from './adapters/lmdb/lmdbEventStore.ts';
import { openS3ObjectStore } from './adapters/s3/s3ObjectStore.ts';
import type { Config } from './config/config.ts';
import type { EventStore } from './ports/eventStore.ts';
import type { ObjectStore } from './ports/objectStore.ts';

export interface Engines {
  eventStore: EventStore;
  objectStore: ObjectStore;
  /** Which engine serves each port, for the start-up log. */
  names: { eventStore: 'lmdb' | 'eventstoredb'; objectStore: 'files' | 's3' };
  /** False while an engine is known to be unreachable (readiness). */
  isConnected(): boolean;
}

/**
 * Opens the engine of each port: EventStoreDB when `EVENTSTORE_URL` is set, else LMDB under
 * `DATA_DIR/events`; S3/MinIO when `MINIO_ENDPOINT` is set, else files under `DATA_DIR/media`.
 */
export async function openEngines(config: Config): Promise<Engines> {
  const esdb = config.eventStoreUrl === undefined ? undefined : await openEsdbEventStore({ connectionString: config.eventStoreUrl });
  const eventStore = esdb ?? (await openLmdbEventStore({ path: join(config.dataDir, 'events') }));
  const objectStore = config.minio
    ? await openS3ObjectStore({ ...config.minio })
    : await openFsObjectStore({ root: join(config.dataDir, 'media') });
  return {
    eventStore,
    objectStore,
    names: { eventStore: esdb ? 'eventstoredb' : 'lmdb', objectStore: config.minio ? 's3' : 'files' },
    isConnected: () => esdb?.isConnected() ?? true,
  };
}
