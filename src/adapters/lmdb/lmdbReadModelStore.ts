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
import { StoreWriteError } from '../../errors/appError.ts';
import { diskSpaceGuard, type DiskSpaceGuard } from './diskSpaceGuard.ts';
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
/**
 * Free space the read models leave on their file system: more than the event log keeps
 * (`DEFAULT_FREE_MARGIN_BYTES`), so on a shared disk the read models stop first and stored
 * writes can still be appended (and answered from the event store).
 */
const READ_MODEL_FREE_MARGIN_BYTES = 16 * 1024 * 1024;
/** What a row may take on disk once written (page overhead, copy-on-write pages). */
const BYTES_PER_ROW = 1024;
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
 *
 * A write that cannot land (disk full, I/O error) throws StoreWriteError and leaves everything as
 * it was, a rebuild's rows included, so the same write can be tried again. Reads never write: a
 * table not created yet reads as empty (creating it takes a write transaction, which a full disk
 * refuses).
 */
export function openLmdbReadModelStore(options: {
  path: string;
  /** What refuses writes on a full disk (default: `diskSpaceGuard` on `path`; tests inject their own). */
  space?: DiskSpaceGuard;
}): ReadModelStore {
  const env: RootDatabase = open({ path: options.path, maxDbs: 128 });
  const space = options.space ?? diskSpaceGuard({ path: options.path, what: 'Read models', marginBytes: READ_MODEL_FREE_MARGIN_BYTES });
  const tables = new Map<string, Database>();
  /** Commits and resets so far (see ReadModelStore.changes). */
  let changes = 0;
  /** Tables found missing, and the change count then: they cannot appear before the next write. */
  const missing = new Set<string>();
  let missingAt = changes;
  // Plain msgpack maps: without per-value record definitions encoding and decoding are
  // markedly faster, and unlike shared structures the bytes of a row depend only on the row.
  const openTable = (name: string, create: boolean): Database | undefined => env.openDB({ name, useRecords: false, create } as { name: string });
  /** The table to write to, created if need be (only inside a write transaction). */
  const table = (name: string): Database => {
    let db = tables.get(name);
    if (!db) {
      db = openTable(name, true)!;
      tables.set(name, db);
    }
    return db;
  };
  /** The table to read from; undefined while it does not exist. */
  const readable = (name: string): Database | undefined => {
    const db = tables.get(name);
    if (db) return db;
    if (missingAt !== changes) {
      missing.clear();
      missingAt = changes;
    }
    if (missing.has(name)) return undefined;
    const found = openTable(name, false);
    if (found === undefined) missing.add(name);
    else tables.set(name, found);
    return found;
  };
  const rawTable = (name: string): Database<Buffer, Key> | undefined =>
    env.openDB({ name, encoding: 'binary', create: false } as { name: string; encoding: 'binary' });
  const checkpointOf = (projectionName: string) => readable(CHECKPOINTS_TABLE)?.get(projectionName) as Checkpoint | undefined;
  const rebuilds = new Map<string, Rebuild>();
  /** Projections that caught up: their writes go straight to LMDB. */
  const live = new Set<string>();
  // A lookup by a key too long to be stored (a client's 5,000-character SKU) finds nothing; lmdb-js would throw.
  const readLmdb = (name: string, key: ReadModelKey) => (fitsLmdbKey(key) ? readable(name)?.get(key as Key) : undefined);
  const tablesEmpty = (projection: Projection) =>
    projection.tables.every((name) => (readable(name)?.getKeysCount({ limit: 1 }) ?? 0) === 0);

  /** One write transaction; what LMDB refuses becomes StoreWriteError, with nothing written. */
  function transact(rows: number, what: string, work: () => void) {
    space.check(rows * BYTES_PER_ROW);
    changes += 1;
    try {
      env.transactionSync(work);
    } catch (error) {
      throw new StoreWriteError(`Read models could not ${what}.`, writeFailureReason(error), error);
    }
  }

  function write(projection: Projection, rows: WriteBackCache, position: Position) {
    transact(rows.size, `commit ${projection.name}`, () => {
      rows.forEachChange((name, key, value) => {
        if (value === undefined) table(name).removeSync(key as Key);
        else table(name).putSync(key as Key, value);
      });
      table(CHECKPOINTS_TABLE).putSync(projection.name, { version: projection.version, position } satisfies Checkpoint);
    });
  }

  function rebuildOf(projection: Projection): Rebuild | undefined {
    let rebuild = rebuilds.get(projection.name);
    if (!rebuild && !live.has(projection.name) && checkpointOf(projection.name) === undefined && tablesEmpty(projection)) {
      rebuild = { projection, rows: new WriteBackCache(undefined), position: undefined };
      rebuilds.set(projection.name, rebuild);
    }
    return rebuild;
  }

  /** Writes a rebuild's rows with its checkpoint; kept in memory if that fails, for the next try. */
  function finishRebuild(projectionName: string) {
    const rebuild = rebuilds.get(projectionName);
    if (!rebuild) return;
    if (rebuild.position !== undefined) write(rebuild.projection, rebuild.rows, rebuild.position);
    rebuilds.delete(projectionName);
  }

  return {
    checkpoint: checkpointOf,

    commit(projection: Projection, apply: (tx: ReadModelTx) => void, position: Position) {
      let rebuild = rebuildOf(projection);
      // Rows that outgrew memory are written before the batch is applied, so a write that fails
      // fails the batch as a whole: retried, it is applied once.
      if (rebuild !== undefined && rebuild.rows.size > MAX_REBUILD_ROWS) {
        finishRebuild(projection.name);
        rebuild = undefined;
      }
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
    },

    catchUpFinished(projectionName: string) {
      finishRebuild(projectionName);
      live.add(projectionName);
    },

    reset(projection: Projection) {
      rebuilds.delete(projection.name);
      live.delete(projection.name);
      transact(0, `reset ${projection.name}`, () => {
        for (const name of projection.tables) table(name).clearSync();
        table(CHECKPOINTS_TABLE).removeSync(projection.name);
      });
    },

    get: <T>(name: string, key: ReadModelKey) => readLmdb(name, key) as T | undefined,

    range<T>(name: string, range: RangeOptions = {}) {
      const results: Array<{ key: ReadModelKey; value: T }> = [];
      const db = readable(name);
      if (db === undefined) return results;
      for (const { key, value } of db.getRange(toLmdbRange(range))) {
        results.push({ key: key as ReadModelKey, value: value as T });
      }
      return results;
    },

    count: (name, range = {}) => readable(name)?.getKeysCount(toLmdbRange(range)) ?? 0,

    changes: () => changes,

    hash(names: readonly string[]) {
      const hash = createHash('sha256');
      for (const name of [...names].sort()) {
        hash.update(`table:${name}\n`);
        for (const { key, value } of rawTable(name)?.getRange({}) ?? []) {
          hash.update(JSON.stringify(key));
          hash.update(value);
        }
      }
      return hash.digest('hex');
    },

    async close() {
      for (const name of [...rebuilds.keys()]) {
        try {
          finishRebuild(name);
        } catch (error) {
          // Not written, so no checkpoint either: the next start rebuilds this read model again.
          if (!(error instanceof StoreWriteError)) throw error;
        }
      }
      await env.close();
    },
  };
}

/** The system's code for why LMDB could not write (its messages carry strerror texts), or `EIO`. */
function writeFailureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  for (const [code, text] of WRITE_FAILURES) if (message.includes(text)) return code;
  return 'EIO';
}
const WRITE_FAILURES: ReadonlyArray<[string, string]> = [
  ['ENOSPC', 'No space left on device'],
  ['EDQUOT', 'Disk quota exceeded'],
  ['EROFS', 'Read-only file system'],
  ['MDB_MAP_FULL', 'MDB_MAP_FULL'],
  ['EIO', 'Input/output error'],
];

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
