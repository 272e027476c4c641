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
import { WriteBackCache } from './writeBackCache.ts';

const CHECKPOINTS_TABLE = '$checkpoints';
/** lmdb-js stores keys of at most 1978 bytes; a longer one cannot have a row. */
const MAX_KEY_BYTES = 1978;

/** Whether `key` fits in an LMDB key (strings count in UTF-8 bytes, at most 3 a UTF-16 unit). */
function fitsLmdbKey(key: ReadModelKey): boolean {
  const parts = typeof key === 'object' ? key : [key];
  let bytes = 0;
  for (const part of parts) {
    if (typeof part === 'number') bytes += 9;
    else bytes += part.length * 3 <= MAX_KEY_BYTES ? part.length * 3 : Buffer.byteLength(part);
  }
  return bytes <= MAX_KEY_BYTES;
}
/** Rows a rebuild keeps in memory at most before writing them out and continuing as a live projection. */
const MAX_REBUILD_ROWS = 1_000_000;

/** A projection being built from empty tables: its rows so far, not yet written. */
interface Rebuild {
  projection: Projection;
  rows: WriteBackCache;
  position: Position | undefined;
}

/**
 * Read models on LMDB, one environment per instance (`DATA_DIR/readmodels`).
 *
 * Every write is one synchronous transaction holding a batch's rows and the checkpoint that
 * covers them, so they land together; synchronous commits also give the runner back-pressure.
 * A batch is applied to a write-back cache first, so a row touched many times is written once.
 *
 * A projection that starts from empty tables (first start, new version) is a rebuild: its rows
 * stay in memory, where every read is answered (a row not there does not exist), and are written
 * with the checkpoint once it catches up, at close, or when they outgrow `MAX_REBUILD_ROWS`.
 * Reading rows back from LMDB and rewriting them on every batch was most of a rebuild's cost.
 * A crash mid-rebuild leaves no checkpoint, so the next start simply rebuilds again.
 */
export function openLmdbReadModelStore(options: { path: string }): ReadModelStore {
  const env: RootDatabase = open({ path: options.path, maxDbs: 128 });
  const tables = new Map<string, Database>();
  const table = (name: string): Database => {
    let db = tables.get(name);
    if (!db) {
      // Plain msgpack maps: without per-value record definitions encoding and decoding are
      // markedly faster, and unlike shared structures the bytes of a row depend only on the row.
      db = env.openDB({ name, useRecords: false } as { name: string });
      tables.set(name, db);
    }
    return db;
  };
  const rawTable = (name: string): Database<Buffer, Key> => env.openDB({ name, encoding: 'binary' });
  const checkpoints = table(CHECKPOINTS_TABLE);
  const rebuilds = new Map<string, Rebuild>();
  /** Projections that caught up: their writes go straight to LMDB. */
  const live = new Set<string>();
  /** Commits and resets so far (see ReadModelStore.changes). */
  let changes = 0;
  // A lookup by a key too long to be stored (a client's 5,000-character SKU) finds nothing; lmdb-js would throw.
  const readLmdb = (name: string, key: ReadModelKey) => (fitsLmdbKey(key) ? table(name).get(key as Key) : undefined);
  const tablesEmpty = (projection: Projection) =>
    projection.tables.every((name) => table(name).getKeysCount({ limit: 1 }) === 0);

  function write(projection: Projection, rows: WriteBackCache, position: Position) {
    changes += 1;
    env.transactionSync(() => {
      rows.forEachChange((name, key, value) => {
        if (value === undefined) table(name).removeSync(key as Key);
        else table(name).putSync(key as Key, value);
      });
      checkpoints.putSync(projection.name, { version: projection.version, position } satisfies Checkpoint);
    });
  }

  function rebuildOf(projection: Projection): Rebuild | undefined {
    let rebuild = rebuilds.get(projection.name);
    if (!rebuild && !live.has(projection.name) && checkpoints.get(projection.name) === undefined && tablesEmpty(projection)) {
      rebuild = { projection, rows: new WriteBackCache(undefined), position: undefined };
      rebuilds.set(projection.name, rebuild);
    }
    return rebuild;
  }

  function finishRebuild(projectionName: string) {
    const rebuild = rebuilds.get(projectionName);
    if (!rebuild) return;
    rebuilds.delete(projectionName);
    if (rebuild.position !== undefined) write(rebuild.projection, rebuild.rows, rebuild.position);
  }

  return {
    checkpoint: (projectionName) => checkpoints.get(projectionName) as Checkpoint | undefined,

    commit(projection: Projection, apply: (tx: ReadModelTx) => void, position: Position) {
      const rebuild = rebuildOf(projection);
      if (!rebuild) {
        // A batch that throws leaves nothing behind: it is applied to its own cache first.
        const batch = new WriteBackCache(readLmdb);
        apply(batch);
        return write(projection, batch, position);
      }
      try {
        apply(rebuild.rows);
      } catch (error) {
        // The rows now hold part of a failed batch: drop the rebuild; the next start redoes it.
        rebuilds.delete(projection.name);
        throw error;
      }
      rebuild.position = position;
      if (rebuild.rows.size > MAX_REBUILD_ROWS) finishRebuild(projection.name);
    },

    catchUpFinished(projectionName: string) {
      live.add(projectionName);
      finishRebuild(projectionName);
    },

    reset(projection: Projection) {
      rebuilds.delete(projection.name);
      live.delete(projection.name);
      changes += 1;
      env.transactionSync(() => {
        for (const name of projection.tables) table(name).clearSync();
        checkpoints.removeSync(projection.name);
      });
    },

    get: <T>(name: string, key: ReadModelKey) => readLmdb(name, key) as T | undefined,

    range<T>(name: string, range: RangeOptions = {}) {
      const results: Array<{ key: ReadModelKey; value: T }> = [];
      for (const { key, value } of table(name).getRange(toLmdbRange(range))) {
        results.push({ key: key as ReadModelKey, value: value as T });
      }
      return results;
    },

    count: (name, range = {}) => table(name).getKeysCount(toLmdbRange(range)),

    changes: () => changes,

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

    async close() {
      for (const name of [...rebuilds.keys()]) finishRebuild(name);
      await env.close();
    },
  };
}

/**
 * The port's range ([start, end) whichever the direction) in lmdb-js terms: reading in reverse,
 * lmdb-js starts at its `start` and stops at its `end`, so the bounds swap and so do their
 * inclusiveness.
 */
function toLmdbRange(range: RangeOptions) {
  const { start, end, reverse, offset, limit } = range;
  const bounds = reverse
    ? {
        ...(end === undefined ? {} : { start: end as Key, exclusiveStart: true }),
        ...(start === undefined ? {} : { end: start as Key, inclusiveEnd: true }),
        reverse: true,
      }
    : { ...(start === undefined ? {} : { start: start as Key }), ...(end === undefined ? {} : { end: end as Key }) };
  return { ...bounds, ...(offset ? { offset } : {}), ...(limit === undefined ? {} : { limit }) };
}
