import { createHash, randomBytes } from 'node:crypto';
import { LoginThrottledError, type LoginGuard } from '../../auth/loginGuard.ts';
import type { UserDirectory } from '../../auth/userDirectory.ts';
import type { SessionStore, StoredSession } from '../../ports/sessionStore.ts';
import { ShipStreamFault } from './shipStreamFaults.ts';

export interface RpcSessionsDeps {
  store: SessionStore;
  users: UserDirectory;
  /** Checks user names and keys (throttled, logged). */
  guard: LoginGuard;
  /** A session expires this long after its last use. */
  ttlMs: number;
  /** Live sessions of one user at most: a login beyond ends the oldest (default 1000). */
  maxSessionsPerUser?: number;
  /** Epoch milliseconds; injected so tests can move time. */
  now?: () => number;
  /** Session ids; 32 lower-case hex digits by default (ShipStream's shape). */
  newSessionId?: () => string;
}

/** A use pushes the expiry forward at most this often, so reads do not write on every call. */
const REFRESH_EVERY_MS = 60_000;
const PURGE_EVERY_MS = 60 * 60_000;
const SESSION_ID = /^[0-9a-f]{32}$/;
/** Sessions whose store entry is also kept in memory (the most recently used ones). */
const REMEMBERED_SESSIONS = 10_000;

const digest = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

/** The client's address of a login, for the throttle and the log. */
export interface LoginAddress {
  address: string;
}

/**
 * ShipStream API sessions: `login(username, api_key)` opens one for a user of the shared
 * directory (the REST users), calls name it, `endSession` closes it. A session expires `ttlMs`
 * after its last use (refreshed at most once a minute), and ends when its user's key changes or
 * the user is removed (a restart with other users). Expired sessions are purged on login.
 */
export function rpcSessions(deps: RpcSessionsDeps) {
  const now = deps.now ?? Date.now;
  const newSessionId = deps.newSessionId ?? (() => randomBytes(16).toString('hex'));
  let purgedAt = 0;
  // The store entries of sessions in use, by session id: a call then needs neither a digest nor a
  // read. This instance is the only writer of its store, so the copy stays exact.
  const remembered = new Map<string, StoredSession>();
  // The session id of each remembered digest: the store names sessions by digest only.
  const rememberedIds = new Map<string, string>();
  // Sessions being ended: refused at once, while their removal is being made durable, and never
  // written back by a use that read them just before.
  const ending = new Set<string>();
  const forget = (sessionId: string) => {
    if (remembered.delete(sessionId)) rememberedIds.delete(digest(sessionId));
  };
  const remember = (sessionId: string, session: StoredSession) => {
    forget(sessionId);
    remembered.set(sessionId, session);
    rememberedIds.set(digest(sessionId), sessionId);
    if (remembered.size > REMEMBERED_SESSIONS) forget(remembered.keys().next().value!);
  };

  /**
   * The user name and key checked by the guard; a throttled attempt is fault 2 with DRF's text.
   * @throws ShipStreamFault 2
   */
  const verify = (username: string, apiKey: string, from: LoginAddress): void => {
    try {
      if (deps.guard.verify(username, apiKey, { address: from.address, api: 'rpc' })) return;
    } catch (error) {
      if (error instanceof LoginThrottledError) throw new ShipStreamFault(2, `Access denied. ${error.message}`, error);
      throw error;
    }
    throw new ShipStreamFault(2);
  };

  /**
   * A user keeps at most `maxSessionsPerUser` sessions: each login beyond ends the oldest, so
   * logging in in a loop cannot grow the store (a client that never calls endSession is the usual
   * cause).
   */
  const endOldestBeyondCap = async (user: string): Promise<void> => {
    const sessions = deps.store.sessionsOf(user);
    const excess = sessions.length - (deps.maxSessionsPerUser ?? 1000);
    for (const idDigest of sessions.slice(0, Math.max(0, excess))) {
      const sessionId = rememberedIds.get(idDigest);
      if (sessionId !== undefined) forget(sessionId);
      await deps.store.remove(idDigest);
    }
  };

  /** The stored session, if its user still exists with the key it logged in with. */
  const currentUsersSession = (session: StoredSession | undefined) =>
    session !== undefined && session.keyStamp !== undefined && session.keyStamp === deps.users.keyStamp(session.user) ? session : undefined;

  return {
    /** @throws ShipStreamFault 2 for an unknown user, a wrong key, or while logins are throttled. */
    async login(username: string, apiKey: string, from: LoginAddress): Promise<string> {
      verify(username, apiKey, from);
      const at = now();
      if (at - purgedAt >= PURGE_EVERY_MS) {
        purgedAt = at;
        await deps.store.removeExpired(at);
      }
      const sessionId = newSessionId();
      const session: StoredSession = { user: username, keyStamp: deps.users.keyStamp(username)!, expiresAt: at + deps.ttlMs, startedAt: at };
      await deps.store.put(digest(sessionId), session);
      remember(sessionId, session);
      await endOldestBeyondCap(username);
      return sessionId;
    },

    /**
     * The user of a live session: answered at once, or once stored when the use pushes the
     * expiry forward (at most once a minute), so that a call awaits nothing it need not.
     * @throws ShipStreamFault 5 for an unknown, ended or expired session.
     */
    userOf(sessionId: string): string | Promise<string> {
      if (!SESSION_ID.test(sessionId) || ending.has(sessionId)) throw new ShipStreamFault(5);
      // The users are fixed for the life of the process: a remembered session was checked against
      // them once; one read from the store may predate a new key or the user's removal.
      const session = remembered.get(sessionId) ?? currentUsersSession(deps.store.get(digest(sessionId)));
      const at = now();
      if (session === undefined || session.expiresAt <= at) {
        forget(sessionId);
        throw new ShipStreamFault(5);
      }
      if (at + deps.ttlMs - session.expiresAt >= REFRESH_EVERY_MS) {
        const refreshed = { ...session, expiresAt: at + deps.ttlMs };
        // Stores write in order: a refresh queued before an end is undone by the end's removal.
        return deps.store.put(digest(sessionId), refreshed).then(
          () => {
            if (!ending.has(sessionId)) remember(sessionId, refreshed);
            return session.user;
          },
          // Not stored (a full disk): the session is still live until its old expiry, and a later
          // use tries again; the call itself must not fail for it.
          () => session.user,
        );
      }
      if (!remembered.has(sessionId)) remember(sessionId, session);
      return session.user;
    },

    /** Ends a session; ending an unknown one is not an error (OpenMage answers true too). */
    async end(sessionId: string): Promise<void> {
      if (!SESSION_ID.test(sessionId)) return;
      ending.add(sessionId);
      forget(sessionId);
      try {
        await deps.store.remove(digest(sessionId));
      } finally {
        ending.delete(sessionId);
      }
    },

    /** The user of HTTP Basic credentials (username and API key), for calls with a null session. @throws ShipStreamFault 2 */
    userOfCredentials(username: string, apiKey: string, from: LoginAddress): string {
      verify(username, apiKey, from);
      return username;
    },
  };
}

export type RpcSessions = ReturnType<typeof rpcSessions>;
