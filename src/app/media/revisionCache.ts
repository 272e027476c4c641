/**
 * Lists decoded from the read model, per product, each valid for one revision of the product's
 * gallery stream. Every change to a product's media is an event of that stream and moves the
 * revision (`galleries` table, committed with the rows), so an entry whose revision still
 * matches is exactly what a fresh read would return. Reads and commits run on the same thread,
 * so no commit lands between reading the revision and reading the rows.
 *
 * Entries are frozen: callers share them, and a caller that tried to change one would throw
 * instead of corrupting the next answer. The oldest entry leaves first once `capacity` is reached.
 */
export function revisionCache<Value extends object>(capacity: number) {
  const entries = new Map<number, { revision: number; values: readonly Value[] }>();
  return {
    get(productPk: number, revision: number): Value[] | undefined {
      const entry = entries.get(productPk);
      return entry?.revision === revision ? (entry.values as Value[]) : undefined;
    },
    set(productPk: number, revision: number, values: Value[]): Value[] {
      if (capacity <= 0) return values;
      for (const value of values) deepFreeze(value);
      entries.delete(productPk);
      entries.set(productPk, { revision, values: Object.freeze(values) });
      if (entries.size > capacity) entries.delete(entries.keys().next().value!);
      return values;
    },
  };
}

function deepFreeze(value: object): void {
  for (const field of Object.values(value)) if (typeof field === 'object' && field !== null) deepFreeze(field);
  Object.freeze(value);
}
