import { createHash } from 'node:crypto';
import { open, type Database, type Key, type RootDatabase } from 'lmdb';
import type { Position } from '../../ports/eventStore.ts';
import type {
  Checkpoint,
  Projection,
  RangeOptions,
  ReadModelKey,
  ReadModelStore,
  ReadModelTx,
} from '../../ports/readModelStore.ts';

const CHECKPOINTS_TABLE = '$checkpoints';

/**
 * Read models on LMDB, one environment per instance (`DATA_DIR/readmodels`).
 *
 * Commits are synchronous transactions: a projection batch and its checkpoint land together,
 * and a synchronous commit gives the runner natural back-pressure during a rebuild. LMDB's
 * default sync keeps the environment intact through power loss; a kill -9 loses nothing.
 */
export function openLmdbReadModelStore(options: { path: string }): ReadModelStore {
  const env: RootDatabase = open({ path: options.path, maxDbs: 128 });
  const tables = new Map<string, Database>();
  const table = (name: string): Database => {
    let db = tables.get(name);
    if (!db) {
      db = env.openDB({ name });
      tables.set(name, db);
    }
    return db;
  };
  const rawTable = (name: string): Database<Buffer, Key> => env.openDB({ name, encoding: 'binary' });
  const checkpoints = table(CHECKPOINTS_TABLE);

  const tx: ReadModelTx = {
    get: <T>(name: string, key: ReadModelKey) => table(name).get(key as Key) as T | undefined,
    put: (name, key, value) => void table(name).putSync(key as Key, value),
    remove: (name, key) => void table(name).removeSync(key as Key),
  };

  return {
    checkpoint: (projectionName) => checkpoints.get(projectionName) as Checkpoint | undefined,

    commit(projection: Projection, apply: (tx: ReadModelTx) => void, position: Position) {
      env.transactionSync(() => {
        apply(tx);
        checkpoints.putSync(projection.name, { version: projection.version, position } satisfies Checkpoint);
      });
    },

    reset(projection: Projection) {
      env.transactionSync(() => {
        for (const name of projection.tables) table(name).clearSync();
        checkpoints.removeSync(projection.name);
      });
    },

    get: <T>(name: string, key: ReadModelKey) => table(name).get(key as Key) as T | undefined,

    range<T>(name: string, range: RangeOptions = {}) {
      const results: Array<{ key: ReadModelKey; value: T }> = [];
      for (const { key, value } of table(name).getRange(toLmdbRange(range))) {
        results.push({ key: key as ReadModelKey, value: value as T });
      }
      return results;
    },

    count: (name, range = {}) => table(name).getKeysCount(toLmdbRange(range)),

    hash(names: readonly string[]) {
      const hash = createHash('sha256');
      for (const name of [...names].sort()) {
        hash.update(`table:${name}\n`);
        for (const { key, value } of rawTable(name).getRange({})) {
          hash.update(JSON.stringify(key));
          hash.update(value);
        }
      }
      return hash.digest('hex');
    },

    close: () => env.close(),
  };
}

function toLmdbRange(range: RangeOptions) {
  const { start, end, reverse, offset, limit } = range;
  return {
    ...(start === undefined ? {} : { start: start as Key }),
    ...(end === undefined ? {} : { end: end as Key }),
    ...(reverse ? { reverse: true } : {}),
    ...(offset ? { offset } : {}),
    ...(limit === undefined ? {} : { limit }),
  };
}
