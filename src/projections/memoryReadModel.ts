import type { RecordedEvent } from '../ports/eventStore.ts';
import type { Projection, ReadModelKey, ReadModelTx } from '../ports/readModelStore.ts';

/** A read model held in maps: what a projection needs, nothing persisted. */
export interface MemoryReadModel extends ReadModelTx {
  /** Every row of `table`, in the order the rows were first written. */
  values<T>(table: string): T[];
}

/**
 * Folds `events` with `projection` into a throw-away in-memory read model: a view built by exactly
 * the code that builds the stored one, from a product's own stream (time travel, and answers to a
 * write while the stored read model lags behind it).
 */
export function foldInMemory(projection: Projection, events: Iterable<RecordedEvent>): MemoryReadModel {
  const readModel = memoryReadModel();
  for (const event of events) projection.apply(readModel, event);
  return readModel;
}

export function memoryReadModel(): MemoryReadModel {
  const tables = new Map<string, Map<string, unknown>>();
  const table = (name: string) => {
    let rows = tables.get(name);
    if (rows === undefined) tables.set(name, (rows = new Map()));
    return rows;
  };
  const keyOf = (key: ReadModelKey) => JSON.stringify(key);
  return {
    get: <T>(name: string, key: ReadModelKey) => table(name).get(keyOf(key)) as T | undefined,
    put: (name, key, value) => void table(name).set(keyOf(key), value),
    remove: (name, key) => void table(name).delete(keyOf(key)),
    values: <T>(name: string) => [...table(name).values()] as T[],
  };
}
