import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rpcSessions } from '../../src/app/rpc/rpcSessions.ts';
import { ShipStreamFault } from '../../src/app/rpc/shipStreamFaults.ts';
import { createUserDirectory } from '../../src/auth/userDirectory.ts';
import type { SessionStore, StoredSession } from '../../src/ports/sessionStore.ts';
import { loginGuard } from '../../src/auth/loginGuard.ts';
import { loginThrottle } from '../../src/auth/loginThrottle.ts';
import { silentLogger } from '../../src/logging/logger.ts';

const FROM = { address: '127.0.0.1' };

/** The users (name and key each) and the login guard over them. */
function directory(entries: Array<{ name: string; key: string }> = [{ name: 'erp', key: 'erp-key' }]) {
  const users = createUserDirectory(entries);
  return { users, guard: loginGuard({ users, throttle: loginThrottle(), logger: silentLogger }) };
}

const TTL_MS = 24 * 60 * 60_000;

/** A session store in memory that counts its writes. */
function memoryStore() {
  const sessions = new Map<string, StoredSession>();
  const store: SessionStore & { puts: number; entries(): StoredSession[] } = {
    puts: 0,
    entries: () => [...sessions.values()],
    get: (digest) => sessions.get(digest),
    async put(digest, session) {
      store.puts++;
      sessions.set(digest, session);
    },
    async remove(digest) {
      sessions.delete(digest);
    },
    sessionsOf: (user) =>
      [...sessions]
        .filter(([, session]) => session.user === user)
        .sort(([, a], [, b]) => (a.startedAt ?? 0) - (b.startedAt ?? 0))
        .map(([digest]) => digest),
    async removeExpired(now) {
      const expired = [...sessions].filter(([, session]) => session.expiresAt <= now);
      for (const [digest] of expired) sessions.delete(digest);
      return expired.length;
    },
    async close() {},
  };
  return store;
}

/** A session store that, like LMDB, applies its writes in order, later, when `flush` is called. */
function queuedStore() {
  const sessions = new Map<string, StoredSession>();
  let queue: Array<() => void> = [];
  const enqueue = (write: () => void) => new Promise<void>((resolve) => queue.push(() => (write(), resolve())));
  const store: SessionStore & { flush(): Promise<void>; has(digest: string): boolean; size(): number } = {
    /** Applies every write queued so far, and those queued by the callers it lets go on. */
    flush: async () => {
      do {
        await new Promise((resolve) => setImmediate(resolve));
        const writes = queue;
        queue = [];
        for (const write of writes) write();
      } while (queue.length > 0);
      await new Promise((resolve) => setImmediate(resolve));
    },
    has: (digest) => sessions.has(digest),
    size: () => sessions.size,
    get: (digest) => sessions.get(digest),
    put: (digest, session) => enqueue(() => sessions.set(digest, session)),
    remove: (digest) => enqueue(() => sessions.delete(digest)),
    sessionsOf: () => [],
    removeExpired: async () => 0,
    async close() {},
  };
  return store;
}

function setUp() {
  let now = 1_700_000_000_000;
  const store = memoryStore();
  const sessions = rpcSessions({ store, ...directory(), ttlMs: TTL_MS, now: () => now });
  return { store, sessions, advance: (ms: number) => (now += ms), now: () => now };
}

const faultOf = (run: () => unknown): number | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof ShipStreamFault ? error.fault : -1;
  }
  return undefined;
};

test('a session in use answers its user at once, without writing', async () => {
  const { store, sessions, advance } = setUp();
  const session = await sessions.login('erp', 'erp-key', FROM);
  assert.match(session, /^[0-9a-f]{32}$/);
  advance(30_000);
  assert.is(sessions.userOf(session), 'erp');
  assert.is(store.puts, 1);
});

test('a use more than a minute after the last write pushes the expiry forward before answering', async () => {
  const { store, sessions, advance, now } = setUp();
  const session = await sessions.login('erp', 'erp-key', FROM);
  advance(61_000);
  const answer = sessions.userOf(session);
  assert.instance(answer, Promise);
  assert.is(await answer, 'erp');
  assert.is(store.puts, 2);
  assert.is(store.entries()[0]!.expiresAt, now() + TTL_MS);
  // The refreshed session outlives the first expiry.
  advance(TTL_MS - 1000);
  assert.is(await sessions.userOf(session), 'erp');
});

test('unknown, malformed, expired and ended sessions are fault 5', async () => {
  const { sessions, advance } = setUp();
  assert.is(faultOf(() => sessions.userOf('0'.repeat(32))), 5);
  assert.is(faultOf(() => sessions.userOf('not a session')), 5);
  const expiring = await sessions.login('erp', 'erp-key', FROM);
  advance(TTL_MS);
  assert.is(faultOf(() => sessions.userOf(expiring)), 5);
  const ended = await sessions.login('erp', 'erp-key', FROM);
  await sessions.end(ended);
  assert.is(faultOf(() => sessions.userOf(ended)), 5);
});

test('a wrong key opens no session (fault 2)', async () => {
  const { store, sessions } = setUp();
  let fault: number | undefined;
  await sessions.login('erp', 'wrong', FROM).catch((error: unknown) => (fault = (error as ShipStreamFault).fault));
  assert.is(fault, 2);
  assert.is(store.puts, 0);
});

test('an ended session is refused at once and stays ended, even when a use read it just before', async () => {
  let now = 1_700_000_000_000;
  const store = queuedStore();
  const sessions = rpcSessions({ store, ...directory(), ttlMs: TTL_MS, now: () => now });
  const login = sessions.login('erp', 'erp-key', FROM);
  await store.flush();
  const session = await login;

  // A use due for a refresh queues its write; the end comes before that write is durable.
  now += 2 * 60_000;
  const use = sessions.userOf(session);
  assert.instance(use, Promise);
  const ended = sessions.end(session);
  assert.is(faultOf(() => sessions.userOf(session)), 5, 'refused while the removal is pending');
  await store.flush();
  await ended;
  assert.is(await use, 'erp', 'the use that began before the end is answered');
  assert.is(store.size(), 0, 'the refresh did not bring the entry back');
  assert.is(faultOf(() => sessions.userOf(session)), 5, 'refused once the removal is durable');

  // The other order: the end is queued first, then a use reads the entry still in the store.
  const second = sessions.login('erp', 'erp-key', FROM);
  await store.flush();
  const secondSession = await second;
  const secondEnd = sessions.end(secondSession);
  now += 2 * 60_000;
  assert.is(faultOf(() => sessions.userOf(secondSession)), 5);
  await store.flush();
  await secondEnd;
  assert.is(store.size(), 0);
  assert.is(faultOf(() => sessions.userOf(secondSession)), 5);
});

test('a stored session ends when its user gets a new key or is removed (a restart with other API_USERS)', async () => {
  const store = memoryStore();
  const now = () => 1_700_000_000_000;
  const before = rpcSessions({ store, ...directory([{ name: 'erp', key: 'erp-key' }, { name: 'bob', key: 'bob-key' }]), ttlMs: TTL_MS, now });
  const erp = await before.login('erp', 'erp-key', FROM);
  const bob = await before.login('bob', 'bob-key', FROM);
  assert.ok(store.entries().every((session) => session.keyStamp !== '' && !JSON.stringify(session).includes('-key')), 'no key is stored');

  const same = rpcSessions({ store, ...directory([{ name: 'erp', key: 'erp-key' }, { name: 'bob', key: 'bob-key' }]), ttlMs: TTL_MS, now });
  assert.equal([same.userOf(erp), same.userOf(bob)], ['erp', 'bob'], 'the same users: sessions survive the restart');

  const after = rpcSessions({ store, ...directory([{ name: 'erp', key: 'erp-new-key' }]), ttlMs: TTL_MS, now });
  assert.is(faultOf(() => after.userOf(erp)), 5, 'a new key ends the session');
  assert.is(faultOf(() => after.userOf(bob)), 5, 'a removed user\'s session ends');

  // A session stored before sessions carried a stamp is refused too: its user logs in again.
  const legacyStore = memoryStore();
  await legacyStore.put(createHash('sha256').update('b'.repeat(32)).digest('hex'), { user: 'erp', expiresAt: now() + TTL_MS } as never);
  const reader = rpcSessions({ store: legacyStore, ...directory([{ name: 'erp', key: 'erp-key' }]), ttlMs: TTL_MS, now });
  assert.is(faultOf(() => reader.userOf('b'.repeat(32))), 5);
});

test('a user keeps at most maxSessionsPerUser sessions: a login beyond ends the oldest', async () => {
  let now = 1_700_000_000_000;
  const store = memoryStore();
  const sessions = rpcSessions({ store, ...directory(), ttlMs: TTL_MS, now: () => (now += 1), maxSessionsPerUser: 3 });
  const opened: string[] = [];
  for (let count = 0; count < 5; count++) opened.push(await sessions.login('erp', 'erp-key', FROM));
  assert.is(store.entries().length, 3);
  assert.equal(opened.map((session) => faultOf(() => sessions.userOf(session))), [5, 5, undefined, undefined, undefined]);
});

test.run();
