import type { Projection, ReadModelKey, ReadModelStore } from '../../ports/readModelStore.ts';

/** Rows copied per commit. */
const PAGE = 10_000;

const sameKey = (a: ReadModelKey, b: ReadModelKey) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Copies one read model (its tables and checkpoint) from `from` to `to`, which holds nothing of
 * it yet. Synchronous from start to end, so no commit of a running projection lands in between:
 * the copy is the read model as of its checkpoint, and a runner on `to` resumes from there.
 * @returns the rows copied.
 */
export function copyReadModel(from: ReadModelStore, to: ReadModelStore, projection: Projection): number {
  const checkpoint = from.checkpoint(projection.name);
  if (checkpoint === undefined || checkpoint.version !== projection.version) return 0;
  let copied = 0;
  for (const table of projection.tables) {
    let after: ReadModelKey | undefined;
    for (;;) {
      const rows = from.range(table, after === undefined ? { limit: PAGE } : { start: after, limit: PAGE + 1 });
      const fresh = after === undefined ? rows : rows.filter((row, index) => index > 0 || !sameKey(row.key, after!));
      if (fresh.length === 0) break;
      to.commit(projection, (tx) => fresh.forEach((row) => tx.put(table, row.key, row.value)), checkpoint.position);
      copied += fresh.length;
      after = fresh.at(-1)!.key;
    }
  }
  // An empty read model still needs its checkpoint, so the runner resumes rather than starts over.
  to.commit(projection, () => {}, checkpoint.position);
  to.catchUpFinished(projection.name);
  return copied;
}
