import type { Position, RecordedEvent } from '../../src/ports/eventStore.ts';
import type { Projection, ReadModelKey, ReadModelTx } from '../../src/ports/readModelStore.ts';

/** An in-memory read model for projection unit tests: tables of JSON-copied values. */
export function memoryReadModel() {
  const tables = new Map<string, Map<string, unknown>>();
  const table = (name: string) => {
    if (!tables.has(name)) tables.set(name, new Map());
    return tables.get(name)!;
  };
  const keyOf = (key: ReadModelKey) => JSON.stringify(key);
  /** Every put and remove, as `put <table> <key>` / `remove <table> <key>`. */
  const writes: string[] = [];
  const tx: ReadModelTx = {
    get: <T>(name: string, key: ReadModelKey) => structuredClone(table(name).get(keyOf(key))) as T | undefined,
    put: (name, key, value) => void (writes.push(`put ${name} ${keyOf(key)}`), table(name).set(keyOf(key), structuredClone(value))),
    remove: (name, key) => void (writes.push(`remove ${name} ${keyOf(key)}`), table(name).delete(keyOf(key))),
  };
  /** The writes `apply` makes (a store writes a page for each, even of an unchanged value). */
  const writesOf = (apply: () => void): string[] => {
    const before = writes.length;
    apply();
    return writes.slice(before);
  };
  /** A stable snapshot: tables and keys sorted. */
  const snapshot = () =>
    JSON.stringify([...tables.entries()].sort().map(([name, rows]) => [name, [...rows.entries()].sort()]));
  /** The tables used so far (read or written). */
  const tableNames = () => [...tables.keys()].sort();
  return { tx, snapshot, table, tableNames, writesOf };
}

let sequence = 0;

/** A recorded event as a store would hand it to a projection. */
export function recorded(streamName: string, revision: number, type: string, data: unknown, occurredAt = '2024-05-25T10:00:00.000000Z'): RecordedEvent {
  sequence += 1;
  return {
    streamName,
    revision,
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    type,
    data,
    metadata: { actor: 'erp', api: 'rest', correlationId: 'c', causationId: 'c', occurredAt, schemaVersion: 1 },
    position: String(sequence).padStart(16, '0') as Position,
    created: occurredAt,
  };
}

/** Applies events in order and returns the read model. */
export function project(projection: Projection, events: RecordedEvent[]) {
  const model = memoryReadModel();
  for (const event of events) projection.apply(model.tx, event);
  return model;
}
