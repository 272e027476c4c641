import { deepFreeze } from '../deepFreeze.ts';

/**
 * Lists decoded from the read model, per product, each valid for one revision of the product's
 * gallery stream. Every change to a product's media is an event of that stream and moves the
 * revision (`galleries` table, committed with the rows), so an entry whose revision still
 * matches is exactly what a fresh read would return. Reads and commits run on the same thread,
 * so no commit lands between reading the revision and reading the rows. While the store commits
 * nothing at all (its change count stands still), even the revision need not be read again.
 *
 * Entries are frozen: callers share them, and a caller that tried to change one would throw
 * instead of corrupting the next answer. The oldest entry leaves first once `capacity` is reached.
 */
export function revisionCache<Value extends object>(capacity: number) {
  const entries = new Map<number, { revision: number; values: readonly Value[]; checkedAt: number }>();
  return {
    /**
     * The entry, without reading the revision, when it was last found current at `changes` (the
     * read-model store's change count) and nothing was committed since.
     */
    unchangedSince(productPk: number, changes: number): Value[] | undefined {
      const entry = entries.get(productPk);
      return entry?.checkedAt === changes ? (entry.values as Value[]) : undefined;
    },
    /** The entry if it is of `revision` (read at change count `changes`). */
    get(productPk: number, revision: number, changes: number): Value[] | undefined {
      const entry = entries.get(productPk);
      if (entry?.revision !== revision) return undefined;
      entry.checkedAt = changes;
      return entry.values as Value[];
    },
    set(productPk: number, revision: number, values: Value[], changes: number): Value[] {
      if (capacity <= 0) return values;
      for (const value of values) deepFreeze(value);
      entries.delete(productPk);
      entries.set(productPk, { revision, values: Object.freeze(values), checkedAt: changes });
      if (entries.size > capacity) entries.delete(entries.keys().next().value!);
      return values;
    },
  };
}
