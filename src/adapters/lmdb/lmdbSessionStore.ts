import { open } from 'lmdb';
import type { SessionStore, StoredSession } from '../../ports/sessionStore.ts';

/**
 * JSON-RPC sessions on LMDB (`DATA_DIR/rpc-sessions`): they survive a restart. Local to an
 * instance, like the idempotency keys: behind a load balancer, pin a client to one instance or
 * let it log in again (see README).
 */
export function openLmdbSessionStore(options: { path: string }): SessionStore {
  const db = open<StoredSession, string>({ path: options.path, overlappingSync: false });
  return {
    get: (idDigest) => db.get(idDigest),
    put: async (idDigest, session) => {
      await db.put(idDigest, session);
    },
    remove: async (idDigest) => {
      await db.remove(idDigest);
    },
    async removeExpired(now) {
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
