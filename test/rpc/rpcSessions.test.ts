import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RPC_SESSIONS_TABLE, rpcSessionsProjection, type RpcSessionView } from '../../projections/rpcSessions.ts';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import { fixedStepClock } from '../../src/app/clock.ts';
import { rpcSessions } from '../../src/app/rpc/rpcSessions.ts';
import { ShipStreamFault } from '../../src/app/rpc/shipStreamFaults.ts';
import { loginGuard } from '../../src/auth/loginGuard.ts';
import { loginThrottle } from '../../src/auth/loginThrottle.ts';
import { createUserDirectory } from '../../src/auth/userDirectory.ts';
import { rpcSessionStream, sessionDigest } from '../../src/domain/rpcSession/rpcSessionStream.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { EventStore, RecordedEvent } from '../../src/ports/eventStore.ts';
import type { ReadModelStore } from '../../src/ports/readModelStore.ts';
import { startProjections, type Projections } from '../../src/projections/projections.ts';

const FROM = { address: '127.0.0.1' };
const TTL_MS = 24 * 60 * 60_000;
const ERP = [{ name: 'erp', key: 'erp-key' }];

interface Instance {
  sessions: ReturnType<typeof rpcSessions>;
  readModels: ReadModelStore;
  projections: Projections;
}

interface Context {
  dir: string;
  eventStore: EventStore;
  instances: Instance[];
  now: number;
  /** Another instance of the service on the same event store: its own read models and sessions. */
  instance(options?: { users?: Array<{ name: string; key: string }>; maxSessionsPerUser?: number }): Promise<Instance>;
  /** Waits until every instance's read model has everything in the store. */
  caughtUp(): Promise<void>;
  /** The session events in the store, in order. */
  sessionEvents(): Promise<RecordedEvent[]>;
}

const test = suite<Context>('JSON-RPC sessions on the event store');

test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'rpc-sessions-'));
  context.eventStore = await openLmdbEventStore({ path: join(context.dir, 'events') });
  context.instances = [];
  context.now = 1_700_000_000_000;
  context.instance = async (options = {}) => {
    const readModels = openLmdbReadModelStore({ path: join(context.dir, `readmodels-${context.instances.length}`) });
    const projections = startProjections({ eventStore: context.eventStore, readModels, logger: silentLogger }, [rpcSessionsProjection]);
    const users = createUserDirectory(options.users ?? ERP);
    const sessions = rpcSessions({
      eventStore: context.eventStore,
      readModels,
      reached: (write) => (write.position === undefined ? Promise.resolve(true) : projections.waitFor(write.position, write.streamName)),
      clock: fixedStepClock(),
      users,
      guard: loginGuard({ users, throttle: loginThrottle(), logger: silentLogger }),
      ttlMs: TTL_MS,
      now: () => context.now,
      ...(options.maxSessionsPerUser === undefined ? {} : { maxSessionsPerUser: options.maxSessionsPerUser }),
    });
    const instance = { sessions, readModels, projections };
    context.instances.push(instance);
    return instance;
  };
  context.caughtUp = async () => {
    const [last] = await context.eventStore.readAll({ direction: 'backwards', maxCount: 1 });
    if (last) for (const { projections } of context.instances) assert.ok(await projections.waitFor(last.position, last.streamName));
  };
  context.sessionEvents = async () => (await context.eventStore.readAll()).filter((event) => event.streamName.startsWith('rpcSession-'));
});

test.after.each(async ({ dir, eventStore, instances }) => {
  for (const { projections, readModels } of instances) {
    await projections.stop();
    await readModels.close();
  }
  await eventStore.close();
  await rm(dir, { recursive: true, force: true });
});

const faultOf = (run: () => unknown): number | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof ShipStreamFault ? error.fault : -1;
  }
  return undefined;
};

test('a login appends RpcSessionStarted to a stream named by the digest of the id; calls answer from the read model without writing', async (context) => {
  const { sessions } = await context.instance();
  const session = await sessions.login('erp', 'erp-key', { ...FROM, context: { correlationId: 'corr-1', causationId: 'req-1' } });
  assert.match(session, /^[0-9a-f]{32}$/);
  const [started, ...more] = await context.sessionEvents();
  assert.equal(more, []);
  assert.is(started!.streamName, rpcSessionStream(sessionDigest(session)));
  assert.is(started!.type, 'RpcSessionStarted');
  const { keyStamp, ...facts } = started!.data as Record<string, string>;
  assert.equal(facts, { user: 'erp', startedAt: '2023-11-14T22:13:20.000Z', expiresAt: '2023-11-15T22:13:20.000Z' });
  assert.match(keyStamp!, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(started!.metadata, { actor: 'erp', api: 'rpc', correlationId: 'corr-1', causationId: 'req-1', occurredAt: '2024-01-01T00:00:00.000000Z', schemaVersion: 1 });
  const stored = JSON.stringify(await context.eventStore.readAll());
  assert.not.ok(stored.includes(session) || stored.includes('erp-key'), 'neither the session id nor the key is stored');

  context.now += 60 * 60_000;
  assert.is(sessions.userOf(session), 'erp', 'answered at once');
  assert.is((await context.sessionEvents()).length, 1, 'nothing written');
});

test('a use once less than 90% of the lifetime is left pushes the expiry forward: about ten refreshes a lifetime', async (context) => {
  const { sessions, readModels } = await context.instance();
  const session = await sessions.login('erp', 'erp-key', FROM);
  context.now += TTL_MS / 10 - 1000;
  assert.is(sessions.userOf(session), 'erp');
  context.now += 2000;
  const due = sessions.userOf(session);
  assert.instance(due, Promise);
  assert.is(await due, 'erp');
  const refreshed = (await context.sessionEvents()).at(-1)!;
  assert.equal([refreshed.type, refreshed.revision, (refreshed.data as { expiresAt: string }).expiresAt], ['RpcSessionRefreshed', 1, new Date(context.now + TTL_MS).toISOString()]);
  await context.caughtUp();
  assert.is(readModels.get<RpcSessionView>(RPC_SESSIONS_TABLE, sessionDigest(session))?.expiresAt, context.now + TTL_MS);

  // A call every ten minutes for two lifetimes.
  for (let minutes = 0; minutes < 2 * 24 * 60; minutes += 10) {
    context.now += 10 * 60_000;
    assert.is(await sessions.userOf(session), 'erp');
    await context.caughtUp();
  }
  const refreshes = (await context.sessionEvents()).filter((event) => event.type === 'RpcSessionRefreshed').length;
  assert.ok(refreshes >= 19 && refreshes <= 22, `${refreshes} refreshes in two lifetimes`);
});

test('unknown, malformed, expired and ended sessions are fault 5', async (context) => {
  const { sessions } = await context.instance();
  assert.is(faultOf(() => sessions.userOf('0'.repeat(32))), 5);
  assert.is(faultOf(() => sessions.userOf('not a session')), 5);
  const expiring = await sessions.login('erp', 'erp-key', FROM);
  context.now += TTL_MS;
  assert.is(faultOf(() => sessions.userOf(expiring)), 5);
  const ended = await sessions.login('erp', 'erp-key', FROM);
  await sessions.end(ended);
  assert.is(faultOf(() => sessions.userOf(ended)), 5);
  assert.equal((await context.sessionEvents()).map((event) => event.type), ['RpcSessionStarted', 'RpcSessionStarted', 'RpcSessionEnded']);
  assert.equal((await context.sessionEvents()).at(-1)?.data, { reason: 'logout' });
});

test('a wrong key opens no session (fault 2) and writes nothing', async (context) => {
  const { sessions } = await context.instance();
  let fault: number | undefined;
  await sessions.login('erp', 'wrong', FROM).catch((error: unknown) => (fault = (error as ShipStreamFault).fault));
  assert.is(fault, 2);
  assert.equal(await context.eventStore.readAll(), []);
});

test('ending an unknown, expired or ended session writes nothing; hostile ids are refused unread', async (context) => {
  const { sessions } = await context.instance();
  const expired = await sessions.login('erp', 'erp-key', FROM);
  const ended = await sessions.login('erp', 'erp-key', FROM);
  await sessions.end(ended);
  context.now += TTL_MS;
  const before = await context.eventStore.readAll();
  const hostile = ['-', '$all', '$$rpcSession-x', '/', '..', '../rpcSession-', 'x'.repeat(10_000), 'sessión-ü-😀', '0'.repeat(31), `${'0'.repeat(32)}\n`, ''];
  for (const id of [...hostile, '1'.repeat(32), expired, ended]) {
    await sessions.end(id);
    assert.is(faultOf(() => sessions.userOf(id)), 5, JSON.stringify(id.slice(0, 40)));
  }
  assert.equal(await context.eventStore.readAll(), before, 'no stream changed');
});

test('an ended session is refused at once and stays ended, even when a use due for a refresh read it just before', async (context) => {
  const { sessions, readModels } = await context.instance();
  const session = await sessions.login('erp', 'erp-key', FROM);
  context.now += TTL_MS / 2;
  const use = sessions.userOf(session);
  assert.instance(use, Promise);
  const ended = sessions.end(session);
  assert.is(faultOf(() => sessions.userOf(session)), 5, 'refused while the end is being stored');
  assert.is(await use, 'erp', 'the use that began before the end is answered');
  await ended;
  await context.caughtUp();
  assert.is(faultOf(() => sessions.userOf(session)), 5);
  assert.is(readModels.get<RpcSessionView>(RPC_SESSIONS_TABLE, sessionDigest(session))?.ended, 'logout');
  assert.is((await context.sessionEvents()).at(-1)?.type, 'RpcSessionEnded', 'nothing follows the end');
});

test('a session ends when its user gets a new key or is removed (instances with other API_USERS)', async (context) => {
  const both = [{ name: 'erp', key: 'erp-key' }, { name: 'bob', key: 'bob-key' }];
  const before = await context.instance({ users: both });
  const erp = await before.sessions.login('erp', 'erp-key', FROM);
  const bob = await before.sessions.login('bob', 'bob-key', FROM);
  const same = await context.instance({ users: both });
  const after = await context.instance({ users: [{ name: 'erp', key: 'erp-new-key' }] });
  await context.caughtUp();
  assert.equal([same.sessions.userOf(erp), same.sessions.userOf(bob)], ['erp', 'bob'], 'the same users: the sessions hold');
  assert.is(faultOf(() => after.sessions.userOf(erp)), 5, 'a new key ends the session');
  assert.is(faultOf(() => after.sessions.userOf(bob)), 5, "a removed user's session ends");
});

test('a user keeps at most maxSessionsPerUser live sessions: a login beyond ends the oldest (evicted)', async (context) => {
  const { sessions } = await context.instance({ maxSessionsPerUser: 3 });
  const opened: string[] = [];
  for (let count = 0; count < 5; count++) {
    context.now += 1;
    opened.push(await sessions.login('erp', 'erp-key', FROM));
  }
  assert.equal(opened.map((session) => faultOf(() => sessions.userOf(session))), [5, 5, undefined, undefined, undefined]);
  const ends = (await context.sessionEvents()).filter((event) => event.type === 'RpcSessionEnded');
  assert.equal(ends.map((event) => [event.streamName, event.data]), [
    [rpcSessionStream(sessionDigest(opened[0]!)), { reason: 'evicted' }],
    [rpcSessionStream(sessionDigest(opened[1]!)), { reason: 'evicted' }],
  ]);
});

test('instances share sessions through the store: a login on one is known to another once it caught up, an end on either ends it on both', async (context) => {
  const a = await context.instance();
  const b = await context.instance();
  const session = await a.sessions.login('erp', 'erp-key', FROM);
  assert.is(a.sessions.userOf(session), 'erp', 'at once on the instance that logged in');
  await context.caughtUp();
  assert.is(b.sessions.userOf(session), 'erp');
  await b.sessions.end(session);
  await context.caughtUp();
  assert.equal([faultOf(() => a.sessions.userOf(session)), faultOf(() => b.sessions.userOf(session))], [5, 5]);

  // An end reaches the store even before the instance ending it has seen the login.
  const fresh = await a.sessions.login('erp', 'erp-key', FROM);
  await b.sessions.end(fresh);
  await context.caughtUp();
  assert.is(faultOf(() => a.sessions.userOf(fresh)), 5);
});

test('a refresh that loses to another instance\'s refresh writes nothing more and the call is answered', async (context) => {
  const a = await context.instance();
  const b = await context.instance();
  const session = await a.sessions.login('erp', 'erp-key', FROM);
  await context.caughtUp();
  context.now += TTL_MS / 2;
  const [onA, onB] = [a.sessions.userOf(session), b.sessions.userOf(session)];
  assert.equal(await Promise.all([onA, onB]), ['erp', 'erp']);
  assert.equal((await context.sessionEvents()).map((event) => event.type), ['RpcSessionStarted', 'RpcSessionRefreshed']);
});

test.run();
