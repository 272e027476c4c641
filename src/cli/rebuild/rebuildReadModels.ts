import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openLmdbReadModelStore } from '../../adapters/lmdb/lmdbReadModelStore.ts';
import type { EventStore, RecordedEvent } from '../../ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../../ports/readModelStore.ts';
import { eventsAfter } from '../catalogStores.ts';
import { currentReadModels } from '../../rebuild/readModelDirectory.ts';

const BATCH = 1000;

/** Folds every event into `projections` of `store`, in batches, from scratch. @returns the events read. */
export async function foldAll(eventStore: EventStore, store: ReadModelStore, projections: readonly Projection[], onEvent?: (count: number) => void): Promise<number> {
  const batches = new Map<Projection, RecordedEvent[]>(projections.map((projection) => [projection, []]));
  const flush = (projection: Projection) => {
    const events = batches.get(projection)!;
    if (events.length === 0) return;
    store.commit(projection, (tx) => events.forEach((event) => projection.apply(tx, event)), events.at(-1)!.position);
    batches.set(projection, []);
  };
  let count = 0;
  for await (const event of eventsAfter(eventStore)) {
    onEvent?.(++count);
    for (const projection of projections) {
      if (!projection.streamNamePrefixes.some((prefix) => event.streamName.startsWith(prefix))) continue;
      batches.get(projection)!.push(event);
      if (batches.get(projection)!.length >= BATCH) flush(projection);
    }
  }
  for (const projection of projections) {
    flush(projection);
    store.catchUpFinished(projection.name);
  }
  return count;
}

/**
 * Rebuilds the read models under `dataDir` (`readmodels`, or the directory a live rebuild switched to). All of them: built beside
 * (`readmodels-rebuild`; no dot: LMDB takes a path with an extension for a file), then switched in by renaming, so the old ones stay whole until the new
 * ones are complete (a crash between the renames leaves no current directory: the next start
 * rebuilds it from the events). One of them: its tables are emptied and refilled in place.
 */
export async function rebuildReadModels(
  eventStore: EventStore,
  dataDir: string,
  all: readonly Projection[],
  only: Projection | undefined,
  onEvent?: (count: number) => void,
): Promise<number> {
  const current = await currentReadModels(dataDir);
  if (only !== undefined) {
    const store = openLmdbReadModelStore({ path: current });
    try {
      store.reset(only);
      return await foldAll(eventStore, store, [only], onEvent);
    } finally {
      await store.close();
    }
  }
  const beside = join(dataDir, 'readmodels-rebuild');
  await rm(beside, { recursive: true, force: true });
  const store = openLmdbReadModelStore({ path: beside });
  let count: number;
  try {
    count = await foldAll(eventStore, store, all, onEvent);
  } finally {
    await store.close();
  }
  const old = join(dataDir, 'readmodels-old');
  await rm(old, { recursive: true, force: true });
  if (existsSync(current)) await rename(current, old);
  await rename(beside, current);
  await rm(old, { recursive: true, force: true });
  return count;
}
