import type { ReadModelKey, ReadModelTx } from '../../ports/readModelStore.ts';

/** Marks a row removed in the cache (a removal must shadow the row underneath). */
const REMOVED = Symbol('removed');

/**
 * Rows changed in memory, per table, to be written later in one go. Reads see the cached rows
 * first, then `fallback`; without a fallback the cache is complete and a miss means no row.
 * Array keys are compared by their JSON form.
 */
export class WriteBackCache implements ReadModelTx {
  private readonly tables = new Map<string, Map<unknown, { key: ReadModelKey; value: unknown }>>();
  size = 0;

  constructor(private readonly fallback: ((table: string, key: ReadModelKey) => unknown) | undefined) {}

  get<T>(table: string, key: ReadModelKey): T | undefined {
    const row = this.tables.get(table)?.get(identity(key));
    if (row === undefined) return this.fallback?.(table, key) as T | undefined;
    return row.value === REMOVED ? undefined : (row.value as T);
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
      for (const { key, value } of rows.values()) visit(table, key, value === REMOVED ? undefined : value);
    }
  }

  private set(table: string, key: ReadModelKey, value: unknown) {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = new Map()));
    const id = identity(key);
    if (!rows.has(id)) this.size += 1;
    rows.set(id, { key, value });
  }
}

const identity = (key: ReadModelKey): unknown => (typeof key === 'object' ? JSON.stringify(key) : key);
