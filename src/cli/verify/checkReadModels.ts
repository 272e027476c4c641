import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLmdbReadModelStore } from '../../adapters/lmdb/lmdbReadModelStore.ts';
import type { EventStore, Position, RecordedEvent } from '../../ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../../ports/readModelStore.ts';
import { eventsAfter } from '../catalogStores.ts';
import type { Inconsistency } from './checkBinaries.ts';

const BATCH = 1000;

/**
 * Rebuilds every read model afresh (in a scratch LMDB beside nothing else) from the events up
 * to the stored model's checkpoint, and compares the two byte for byte (`ReadModelStore.hash`).
 * A stored model of another version is reported: the service rebuilds it at its next start.
 */
export async function checkReadModels(
  eventStore: EventStore,
  stored: ReadModelStore,
  projections: readonly Projection[],
  onEvent?: (count: number) => void,
): Promise<Inconsistency[]> {
  const scratchDir = await mkdtemp(join(tmpdir(), 'catalog-verify-'));
  const fresh = openLmdbReadModelStore({ path: scratchDir });
  try {
    const problems: Inconsistency[] = [];
    const targets = projections.flatMap((projection) => {
      const checkpoint = stored.checkpoint(projection.name);
      // Never committed: no event has reached it, so it must equal an empty rebuild.
      if (checkpoint === undefined) return [{ projection, upTo: '' as Position, batch: [] as RecordedEvent[] }];
      if (checkpoint.version !== projection.version) {
        problems.push({ kind: 'read-model', message: `${projection.name}: stored version ${checkpoint.version}, code version ${projection.version} (rebuilt at the next start)` });
        return [];
      }
      return [{ projection, upTo: checkpoint.position, batch: [] as RecordedEvent[] }];
    });
    const flush = (target: (typeof targets)[number]) => {
      if (target.batch.length === 0) return;
      const events = target.batch;
      fresh.commit(target.projection, (tx) => events.forEach((event) => target.projection.apply(tx, event)), events.at(-1)!.position);
      target.batch = [];
    };
    let count = 0;
    for await (const event of eventsAfter(eventStore)) {
      onEvent?.(++count);
      for (const target of targets) {
        if (event.position > target.upTo) continue;
        if (!target.projection.streamNamePrefixes.some((prefix) => event.streamName.startsWith(prefix))) continue;
        target.batch.push(event);
        if (target.batch.length >= BATCH) flush(target);
      }
    }
    for (const target of targets) {
      flush(target);
      // A store building from scratch keeps rows in memory until told it caught up.
      fresh.catchUpFinished(target.projection.name);
      const { tables, name } = target.projection;
      if (fresh.hash(tables) !== stored.hash(tables)) problems.push({ kind: 'read-model', message: `${name}: differs from a fresh rebuild up to its checkpoint ${target.upTo}` });
    }
    return problems;
  } finally {
    await fresh.close();
    await rm(scratchDir, { recursive: true, force: true });
  }
}
