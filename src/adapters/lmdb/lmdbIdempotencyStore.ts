import { open } from 'lmdb';
import type { IdempotencyStore, RememberedResponse } from '../../ports/idempotencyStore.ts';

/**
 * Idempotency records on LMDB (`DATA_DIR/idempotency`), durable before the response is sent.
 * Local to an instance: a retry routed to another instance is not recognised (see README).
 */
export function openLmdbIdempotencyStore(options: { path: string }): IdempotencyStore {
  const db = open<RememberedResponse, string>({ path: options.path, overlappingSync: false });
  return {
    get: (scope) => db.get(scope),
    remember: async (scope, response) => {
      await db.put(scope, response);
    },
    async forgetAnsweredBefore(at) {
      const old: string[] = [];
      for (const { key, value } of db.getRange()) if (value.at < at) old.push(key);
      await db.transaction(() => {
        for (const key of old) db.remove(key);
      });
      return old.length;
    },
    close: () => db.close(),
  };
}
