import type { ReadModelStore } from '../ports/readModelStore.ts';

/** A read-model store whose engine can be replaced while it serves (a rebuild on a running instance). */
export interface SwappableReadModelStore extends ReadModelStore {
  /** The store every call goes to now. */
  current(): ReadModelStore;
  /** From the next call on, every call goes to `next`; @returns the store it replaced (its owner closes it). */
  swap(next: ReadModelStore): ReadModelStore;
}

/**
 * The indirection the queries read through: one plain function call per read, no await, so a
 * request never waits on a swap and the list paths cost what they did. A swap is one assignment:
 * a read after it sees the new store whole, a read before it the old one whole (reads are
 * synchronous, so none straddles it). `changes()` keeps moving forward across a swap, so caches
 * that trust an unchanged count ask again.
 */
export function swappableReadModelStore(initial: ReadModelStore): SwappableReadModelStore {
  let store = initial;
  /** Added to the store's own count so the sum never goes back when the store changes. */
  let offset = 0;
  return {
    current: () => store,
    swap(next) {
      const previous = store;
      const before = offset + previous.changes();
      store = next;
      offset = before + 1 - next.changes();
      return previous;
    },
    checkpoint: (projectionName) => store.checkpoint(projectionName),
    commit: (projection, apply, position) => store.commit(projection, apply, position),
    catchUpFinished: (projectionName) => store.catchUpFinished(projectionName),
    reset: (projection) => store.reset(projection),
    get: (table, key) => store.get(table, key),
    range: (table, options) => store.range(table, options),
    count: (table, options) => store.count(table, options),
    changes: () => offset + store.changes(),
    hash: (tables) => store.hash(tables),
    close: () => store.close(),
  };
}
