import { randomBytes } from 'node:crypto';
import { LoginThrottledError, type LoginGuard } from '../../auth/loginGuard.ts';
import type { UserDirectory } from '../../auth/userDirectory.ts';
import type { RpcSessionFacts } from '../../domain/rpcSession/rpcSessionEvents.ts';
import { rpcSessionStream, sessionDigest, type SessionDigest } from '../../domain/rpcSession/rpcSessionStream.ts';
import { ConcurrencyError } from '../../errors/appError.ts';
import type { EventStore, Position } from '../../ports/eventStore.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';
import { RPC_SESSIONS_BY_USER_TABLE, RPC_SESSIONS_TABLE, type RpcSessionView } from '../../../projections/rpcSessions.ts';
import type { Clock } from '../clock.ts';
import { rpcSessionJournal, type SessionRequest } from './rpcSessionJournal.ts';
import { ShipStreamFault } from './shipStreamFaults.ts';

export interface RpcSessionsDeps {
  eventStore: EventStore;
  /** This instance's read models: the rpcSessions projection's tables answer every call. */
  readModels: Pick<ReadModelStore, 'get' | 'range' | 'changes'>;
  /** Read-your-writes: resolves once this instance's read models include a write (false when they lag). */
  reached: (write: { streamName: string; position: Position | undefined }) => Promise<boolean>;
  users: UserDirectory;
  /** Checks user names and keys (throttled, logged). */
  guard: LoginGuard;
  /** A session expires this long after its last use. */
  ttlMs: number;
  /** Live sessions of one user at most: a login beyond ends the oldest (default 1000). */
  maxSessionsPerUser?: number;
  /** Epoch milliseconds for the sessions' times; injected so tests can move time. */
  now?: () => number;
  /** The events' `occurredAt`. */
  clock: Clock;
  /** Session ids; 32 lower-case hex digits by default (ShipStream's shape). */
  newSessionId?: () => string;
}

/**
 * A use pushes the expiry forward once less than this share of the lifetime is left: a session in
 * steady use writes about ten refreshes a lifetime (one every 2.4 hours of a day-long lifetime).
 */
const REFRESH_WHEN_LEFT_BELOW = 0.9;
const SESSION_ID = /^[0-9a-f]{32}$/;
/**
 * Sessions in use whose digest and row are kept in memory, so a call neither hashes its session
 * id again nor reads the row while the read models have not changed (about 2 µs a call).
 */
const REMEMBERED_SESSIONS = 10_000;

/** The caller of a session method: its address (throttle, log) and, within a request, its audit facts. */
export interface SessionCaller {
  address: string;
  context?: SessionRequest;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/**
 * ShipStream API sessions, shared by every instance on the event store: `login(username, api_key)`
 * opens one for a user of the shared directory (the REST users) by appending `RpcSessionStarted`
 * to a stream of its own (`rpcSession-<sha256 of the id>`, expected revision `no_stream`); calls
 * name it; `endSession` appends `RpcSessionEnded`. Calls are answered from this instance's read
 * model (projections/rpcSessions.ts), as fast as from memory. A session expires `ttlMs` after its
 * last use (refreshed once less than 90% of the lifetime is left), and ends when its user's key
 * changes or the user is removed (a restart with other users). A login beyond the user's cap ends
 * the oldest sessions (`evicted`).
 *
 * A login answers once this instance's read model has the session, so a call right after on the
 * same instance finds it; another instance finds it once its read model has caught up.
 */
export function rpcSessions(deps: RpcSessionsDeps) {
  const now = deps.now ?? Date.now;
  const newSessionId = deps.newSessionId ?? (() => randomBytes(16).toString('hex'));
  const maxSessions = deps.maxSessionsPerUser ?? 1000;
  const journal = rpcSessionJournal(deps);
  /** By session id: its digest, and its row as read when the read models were at `changes`. */
  const remembered = new Map<string, { digest: SessionDigest; view: RpcSessionView | undefined; changes: number }>();
  /** Sessions whose end is being stored: refused at once. */
  const ending = new Set<SessionDigest>();
  /** Sessions whose refresh is being stored or projected: one refresh at a time. */
  const refreshing = new Set<SessionDigest>();
  /** Sessions being evicted by a login: not counted, nor evicted again, by the next ones. */
  const evicting = new Set<SessionDigest>();

  const digestOf = (sessionId: string): SessionDigest => remembered.get(sessionId)?.digest ?? sessionDigest(sessionId);
  /** The session's row; remembered for sessions found live, until the read models change. */
  const viewOf = (sessionId: string, digest: SessionDigest): RpcSessionView | undefined => {
    const changes = deps.readModels.changes();
    const known = remembered.get(sessionId);
    if (known !== undefined && known.changes === changes) return known.view;
    const view = deps.readModels.get<RpcSessionView>(RPC_SESSIONS_TABLE, digest);
    if (known !== undefined) Object.assign(known, { view, changes });
    return view;
  };
  const remember = (sessionId: string, digest: SessionDigest) => {
    if (remembered.has(sessionId)) return;
    remembered.set(sessionId, { digest, view: undefined, changes: Number.NaN });
    if (remembered.size > REMEMBERED_SESSIONS) remembered.delete(remembered.keys().next().value!);
  };
  const reachedWrite = (digest: SessionDigest, position: Position) => deps.reached({ streamName: rpcSessionStream(digest), position });

  /** The session, if live at `at` and its user still exists with the key it logged in with. */
  const liveSession = (sessionId: string, digest: SessionDigest, at: number): RpcSessionView | undefined => {
    const view = viewOf(sessionId, digest);
    if (view === undefined || view.ended !== undefined || view.expiresAt <= at) return undefined;
    return view.keyStamp === deps.users.keyStamp(view.user) ? view : undefined;
  };

  /**
   * The user name and key checked by the guard; a throttled attempt is fault 2 with DRF's text.
   * @throws ShipStreamFault 2
   */
  const verify = (username: string, apiKey: string, from: SessionCaller): void => {
    try {
      if (deps.guard.verify(username, apiKey, { address: from.address, api: 'rpc' })) return;
    } catch (error) {
      if (error instanceof LoginThrottledError) throw new ShipStreamFault(2, `Access denied. ${error.message}`, error);
      throw error;
    }
    throw new ShipStreamFault(2);
  };

  /**
   * A user keeps at most `maxSessionsPerUser` live sessions: each login beyond ends the oldest, so
   * logging in in a loop cannot grow the store (a client that never calls endSession is the usual
   * cause). Counted on this instance's read model, which has this login.
   */
  const endOldestBeyondCap = async (user: string, at: number, request: SessionRequest | undefined): Promise<void> => {
    const sessions = deps.readModels.range<number>(RPC_SESSIONS_BY_USER_TABLE, { start: [user], end: [`${user}\u0000`] });
    const live = sessions.map(({ key, value }) => ({ digest: (key as [string, number, SessionDigest])[2], expiresAt: value }));
    const counted = live.filter(({ digest, expiresAt }) => expiresAt > at && !evicting.has(digest));
    const oldest = counted.slice(0, Math.max(0, counted.length - maxSessions));
    await Promise.all(
      oldest.map(async ({ digest }) => {
        evicting.add(digest);
        try {
          const ended = await journal.append(digest, { type: 'RpcSessionEnded', data: { reason: 'evicted' } }, user, 'stream_exists', request);
          await reachedWrite(digest, ended.position);
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error; // gone from the store meanwhile: nothing to end
        } finally {
          evicting.delete(digest);
        }
      }),
    );
  };

  /** Pushes the expiry forward; the use is answered whatever comes of it (the session holds until its known expiry). */
  const refresh = async (digest: SessionDigest, view: RpcSessionView, at: number, request: SessionRequest | undefined): Promise<string> => {
    refreshing.add(digest);
    const facts: RpcSessionFacts = { user: view.user, keyStamp: view.keyStamp, startedAt: iso(view.startedAt), expiresAt: iso(at + deps.ttlMs) };
    try {
      // At the revision the read model has: after an end (or another instance's refresh) it fails, and the end stays.
      const landed = await journal.append(digest, { type: 'RpcSessionRefreshed', data: facts }, view.user, view.revision, request);
      void reachedWrite(digest, landed.position).finally(() => refreshing.delete(digest));
    } catch {
      refreshing.delete(digest);
    }
    return view.user;
  };

  return {
    /** @throws ShipStreamFault 2 for an unknown user, a wrong key, or while logins are throttled. */
    async login(username: string, apiKey: string, from: SessionCaller): Promise<string> {
      verify(username, apiKey, from);
      const at = now();
      const sessionId = newSessionId();
      const digest = sessionDigest(sessionId);
      const facts: RpcSessionFacts = { user: username, keyStamp: deps.users.keyStamp(username)!, startedAt: iso(at), expiresAt: iso(at + deps.ttlMs) };
      const [started] = await Promise.all([
        journal.append(digest, { type: 'RpcSessionStarted', data: facts }, username, 'no_stream', from.context),
        journal.retain(digest),
      ]);
      // Read-your-writes: a call right after, on this instance, finds the session.
      await reachedWrite(digest, started.position);
      remember(sessionId, digest);
      await endOldestBeyondCap(username, at, from.context);
      return sessionId;
    },

    /**
     * The user of a live session: answered at once from the read model, or once stored when the
     * use pushes the expiry forward (about ten times a lifetime), so that a call awaits nothing it
     * need not.
     * @throws ShipStreamFault 5 for an unknown, ended or expired session.
     */
    userOf(sessionId: string, caller?: SessionCaller): string | Promise<string> {
      if (!SESSION_ID.test(sessionId)) throw new ShipStreamFault(5);
      const digest = digestOf(sessionId);
      const at = now();
      const view = ending.has(digest) ? undefined : liveSession(sessionId, digest, at);
      if (view === undefined) throw new ShipStreamFault(5);
      remember(sessionId, digest);
      if (view.expiresAt - at >= REFRESH_WHEN_LEFT_BELOW * deps.ttlMs || refreshing.has(digest)) return view.user;
      return refresh(digest, view, at, caller?.context);
    },

    /**
     * Ends a session, on every instance; ending an unknown, expired or ended one is not an error
     * (OpenMage answers true too). The store says whether it exists: it may have been opened on
     * another instance a moment ago.
     */
    async end(sessionId: string, caller?: SessionCaller): Promise<void> {
      if (!SESSION_ID.test(sessionId)) return;
      const digest = digestOf(sessionId);
      ending.add(digest);
      try {
        const [last] = await deps.eventStore.readStream(rpcSessionStream(digest), { direction: 'backwards', maxCount: 1 });
        if (last === undefined || last.type === 'RpcSessionEnded') return;
        const { user, expiresAt } = last.data as RpcSessionFacts;
        if (Date.parse(expiresAt) <= now()) return;
        const ended = await journal.append(digest, { type: 'RpcSessionEnded', data: { reason: 'logout' } }, user, 'stream_exists', caller?.context);
        await reachedWrite(digest, ended.position);
      } finally {
        ending.delete(digest);
        remembered.delete(sessionId);
      }
    },

    /** The user of HTTP Basic credentials (username and API key), for calls with a null session. @throws ShipStreamFault 2 */
    userOfCredentials(username: string, apiKey: string, from: SessionCaller): string {
      verify(username, apiKey, from);
      return username;
    },
  };
}

export type RpcSessions = ReturnType<typeof rpcSessions>;
