import { open, type Database } from 'lmdb';
import type { SessionStore, StoredSession } from '../../ports/sessionStore.ts';
import { diskSpaceGuard } from './diskSpaceGuard.ts';

/** What a session record may take on disk. */
const SESSION_BYTES = 1024;

/**
 * JSON-RPC sessions on LMDB (`DATA_DIR/rpc-sessions`): they survive a restart. Local to an
 * instance, like the idempotency keys: behind a load balancer, pin a client to one instance or
 * let it log in again (see README). A second database indexes them by user and start
 * (`[user, startedAt, digest]`), for the cap on sessions per user. On a nearly full disk nothing
 * is written (StoreWriteError), see diskSpaceGuard.ts.
 */
export function openLmdbSessionStore(options: { path: string }): SessionStore {
  const root = open<unknown, string>({ path: options.path, overlappingSync: false, maxDbs: 4 });
  const db = root.openDB<StoredSession, string>({ name: 'sessions' });
  const byUser = root.openDB<true, [string, number, string]>({ name: 'byUser' });
  moveLegacySessions(root, db, byUser);
  const space = diskSpaceGuard({ path: options.path, what: 'Sessions' });
  const indexKey = sessionIndexKey;
  const removeFromIndex = (idDigest: string) => {
    const session = db.get(idDigest);
    if (session !== undefined) byUser.remove(indexKey(idDigest, session));
  };
  return {
    get: (idDigest) => db.get(idDigest),
    put: async (idDigest, session) => {
      space.check(SESSION_BYTES);
      await root.transaction(() => {
        removeFromIndex(idDigest);
        db.put(idDigest, session);
        byUser.put(indexKey(idDigest, session), true);
      });
    },
    remove: async (idDigest) => {
      space.check(0);
      await root.transaction(() => {
        removeFromIndex(idDigest);
        db.remove(idDigest);
      });
    },
    sessionsOf(user) {
      return [...byUser.getKeys({ start: [user], end: [`${user}\u0000`] })].map(([, , idDigest]) => idDigest);
    },
    async removeExpired(now) {
      space.check(0);
      const expired: string[] = [];
      for (const { key, value } of db.getRange()) if (value.expiresAt <= now) expired.push(key);
      await root.transaction(() => {
        for (const key of expired) {
          removeFromIndex(key);
          db.remove(key);
        }
      });
      return expired.length;
    },
    close: () => root.close(),
  };
}

const sessionIndexKey = (idDigest: string, session: StoredSession): [string, number, string] => [session.user, session.startedAt ?? 0, idDigest];

/** Sessions a store of an earlier version kept in its unnamed database move to `sessions`, indexed. */
function moveLegacySessions(root: Database<unknown, string>, db: Database<StoredSession, string>, byUser: Database<true, [string, number, string]>): void {
  const legacy: Array<[string, StoredSession]> = [];
  // The unnamed database also names the named ones: only its digest keys hold sessions (and only
  // those are decoded: a named database's entry is no value of ours).
  for (const key of root.getKeys()) {
    if (typeof key !== 'string' || !/^[0-9a-f]{64}$/.test(key)) continue;
    const session = root.get(key) as Partial<StoredSession> | undefined;
    if (typeof session?.user === 'string' && typeof session.expiresAt === 'number') legacy.push([key, session as StoredSession]);
  }
  if (legacy.length === 0) return;
  root.transactionSync(() => {
    for (const [key, session] of legacy) {
      db.put(key, session);
      byUser.put(sessionIndexKey(key, session), true);
      root.remove(key);
    }
  });
}
