import { createHash } from 'node:crypto';
import { StoreWriteError } from '../../src/errors/appError.ts';
import type { Position } from '../../src/ports/eventStore.ts';
import type { Checkpoint, Projection, ReadModelKey, ReadModelStore, ReadModelTx } from '../../src/ports/readModelStore.ts';

export interface MemoryReadModelStore extends ReadModelStore {
  /** The next `count` commits fail as a full disk does (after their batch was applied, as LMDB's would). */
  failCommits(count: number): void;
  /** When each commit was tried (ms), failed ones included. */
  readonly attempts: Array<{ at: number; failed: boolean; position: Position }>;
}

/**
 * A read-model store in maps for runner tests: a batch is applied to a copy of the rows it
 * touches and lands with its checkpoint, or not at all. Ranges come in insertion order and
 * take no options: enough for the runner, not for queries.
 */
export function memoryReadModelStore(): MemoryReadModelStore {
  const tables = new Map<string, Map<string, { key: ReadModelKey; value: unknown }>>();
  const checkpoints = new Map<string, Checkpoint>();
  let changes = 0;
  let failuresLeft = 0;
  const attempts: MemoryReadModelStore['attempts'] = [];
  const table = (name: string) => {
    let rows = tables.get(name);
    if (rows === undefined) tables.set(name, (rows = new Map()));
    return rows;
  };
  const keyOf = (key: ReadModelKey) => JSON.stringify(key);

  return {
    attempts,
    failCommits(count) {
      failuresLeft = count;
    },
    checkpoint: (name) => checkpoints.get(name),
    commit(projection: Projection, apply: (tx: ReadModelTx) => void, position: Position) {
      const staged = new Map<string, Map<string, { key: ReadModelKey; value: unknown } | undefined>>();
      const stage = (name: string) => {
        let rows = staged.get(name);
        if (rows === undefined) staged.set(name, (rows = new Map()));
        return rows;
      };
      apply({
        get: <T>(name: string, key: ReadModelKey) => {
          const rows = staged.get(name);
          const id = keyOf(key);
          const row = rows?.has(id) ? rows.get(id) : table(name).get(id);
          return structuredClone(row?.value) as T | undefined;
        },
        put: (name, key, value) => void stage(name).set(keyOf(key), { key, value: structuredClone(value) }),
        remove: (name, key) => void stage(name).set(keyOf(key), undefined),
      });
      const failed = failuresLeft > 0;
      attempts.push({ at: performance.now(), failed, position });
      if (failed) {
        failuresLeft -= 1;
        throw new StoreWriteError('Read models could not commit: No space left on device.', 'ENOSPC');
      }
      for (const [name, rows] of staged) {
        for (const [id, row] of rows) {
          if (row === undefined) table(name).delete(id);
          else table(name).set(id, row);
        }
      }
      checkpoints.set(projection.name, { version: projection.version, position });
      changes += 1;
    },
    catchUpFinished() {},
    reset(projection) {
      for (const name of projection.tables) tables.delete(name);
      checkpoints.delete(projection.name);
      changes += 1;
    },
    get: <T>(name: string, key: ReadModelKey) => structuredClone(table(name).get(keyOf(key))?.value) as T | undefined,
    range<T>(name: string, options?: object) {
      if (options !== undefined && Object.keys(options).length > 0) throw new Error('memoryReadModelStore.range takes no options');
      return [...table(name).values()].map(({ key, value }) => ({ key, value: structuredClone(value) as T }));
    },
    count: (name) => table(name).size,
    changes: () => changes,
    hash(names) {
      const hash = createHash('sha256');
      for (const name of [...names].sort()) hash.update(JSON.stringify([name, [...table(name).entries()].sort()]));
      return hash.digest('hex');
    },
    close: async () => {},
  };
}
