import { open } from 'lmdb';
import type { IdempotencyStore, RememberedResponse } from '../../ports/idempotencyStore.ts';
import { diskSpaceGuard } from './diskSpaceGuard.ts';

/** Records read and cleared per write transaction when old answers are forgotten. */
const FORGET_SLICE = 500;

/**
 * Idempotency records on LMDB (`DATA_DIR/idempotency`), durable before the response is sent.
 * Local to an instance: a retry routed to another instance is not recognised (see README).
 * On a nearly full disk nothing is written (StoreWriteError), see diskSpaceGuard.ts.
 */
export function openLmdbIdempotencyStore(options: { path: string }): IdempotencyStore {
  const db = open<RememberedResponse, string>({ path: options.path, overlappingSync: false });
  const space = diskSpaceGuard({ path: options.path, what: 'Idempotency keys' });
  return {
    get: (scope) => db.get(scope),
    remember: async (scope, response) => {
      space.check(2 * (scope.length + response.body.length));
      await db.put(scope, response);
    },
    // In slices of a few hundred records, each read and cleared inside its own write
    // transaction: an answer remembered meanwhile is never removed by a stale read, and the
    // event loop is never held for the whole store.
    async forgetAnsweredBefore(at) {
      let forgotten = 0;
      let after: string | undefined;
      for (;;) {
        space.check(0);
        const slice = await db.transaction(() => {
          let last: string | undefined;
          let seen = 0;
          for (const { key, value } of db.getRange({ ...(after === undefined ? {} : { start: after, exclusiveStart: true }), limit: FORGET_SLICE })) {
            last = key;
            seen += 1;
            if (value.at < at) {
              db.remove(key);
              forgotten += 1;
            }
          }
          return { last, seen };
        });
        if (slice.seen < FORGET_SLICE) return forgotten;
        after = slice.last;
      }
    },
    close: () => db.close(),
  };
}
