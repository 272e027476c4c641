import type { ReadModelKey, ReadModelTx } from '../../ports/readModelStore.ts';

/** Marks a row removed in the cache (a removal must shadow the row underneath). */
const REMOVED = Symbol('removed');

/** One table's changed rows: scalar keys as they are, array keys by their JSON text. */
interface TableRows {
  scalar: Map<string | number, unknown>;
  composite: Map<string, { key: ReadonlyArray<string | number>; value: unknown }>;
}

/**
 * Rows changed in memory, per table, to be written later in one go. Reads see the cached rows
 * first, then `fallback`; without a fallback the cache is complete and a miss means no row.
 * Scalar and array keys live in separate maps, so a string key can never collide with the JSON
 * text of an array key.
 */
export class WriteBackCache implements ReadModelTx {
  private readonly tables = new Map<string, TableRows>();
  size = 0;

  constructor(private readonly fallback: ((table: string, key: ReadModelKey) => unknown) | undefined) {}

  get<T>(table: string, key: ReadModelKey): T | undefined {
    const rows = this.tables.get(table);
    const value = rows === undefined ? undefined : typeof key === 'object' ? rows.composite.get(JSON.stringify(key))?.value : rows.scalar.get(key);
    if (value === undefined) return this.fallback?.(table, key) as T | undefined;
    return value === REMOVED ? undefined : (value as T);
  }

  put(table: string, key: ReadModelKey, value: unknown): void {
    this.set(table, key, value);
  }

  remove(table: string, key: ReadModelKey): void {
    this.set(table, key, REMOVED);
  }

  /** Visits every changed row; `value` is undefined for a removed row. */
  forEachChange(visit: (table: string, key: ReadModelKey, value: unknown) => void): void {
    for (const [table, rows] of this.tables) {
      for (const [key, value] of rows.scalar) visit(table, key, value === REMOVED ? undefined : value);
      for (const { key, value } of rows.composite.values()) visit(table, key, value === REMOVED ? undefined : value);
    }
  }

  private set(table: string, key: ReadModelKey, value: unknown) {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = { scalar: new Map(), composite: new Map() }));
    const before = rows.scalar.size + rows.composite.size;
    if (typeof key === 'object') rows.composite.set(JSON.stringify(key), { key, value });
    else rows.scalar.set(key, value);
    this.size += rows.scalar.size + rows.composite.size - before;
  }
}
