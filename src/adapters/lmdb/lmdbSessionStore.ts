import { open } from 'lmdb';
import type { SessionStore, StoredSession } from '../../ports/sessionStore.ts';
import { diskSpaceGuard } from './diskSpaceGuard.ts';

/** What a session record may take on disk. */
const SESSION_BYTES = 1024;

/**
 * JSON-RPC sessions on LMDB (`DATA_DIR/rpc-sessions`): they survive a restart. Local to an
 * instance, like the idempotency keys: behind a load balancer, pin a client to one instance or
 * let it log in again (see README). On a nearly full disk nothing is written (StoreWriteError),
 * see diskSpaceGuard.ts.
 */
export function openLmdbSessionStore(options: { path: string }): SessionStore {
  const db = open<StoredSession, string>({ path: options.path, overlappingSync: false });
  const space = diskSpaceGuard({ path: options.path, what: 'Sessions' });
  return {
    get: (idDigest) => db.get(idDigest),
    put: async (idDigest, session) => {
      space.check(SESSION_BYTES);
      await db.put(idDigest, session);
    },
    remove: async (idDigest) => {
      space.check(0);
      await db.remove(idDigest);
    },
    async removeExpired(now) {
      space.check(0);
      const expired: string[] = [];
      for (const { key, value } of db.getRange()) if (value.expiresAt <= now) expired.push(key);
      await db.transaction(() => {
        for (const key of expired) db.remove(key);
      });
      return expired.length;
    },
    close: () => db.close(),
  };
}
