import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  RPC_SESSIONS_BY_USER_TABLE,
  RPC_SESSIONS_TABLE,
  RPC_SESSION_QUEUE_TABLE,
  rpcSessionsProjection,
  type RpcSessionView,
} from '../../projections/rpcSessions.ts';
import { rpcSessionStream, sessionDigest } from '../../src/domain/rpcSession/rpcSessionStream.ts';
import { project, recorded } from '../support/projectionSpec.ts';

const test = suite('rpcSessions projection');

const HOUR = 3_600_000;
const T0 = Date.parse('2024-05-25T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const digestOf = (n: number) => sessionDigest(n.toString(16).padStart(32, '0'));
const stream = (n: number) => rpcSessionStream(digestOf(n));
const facts = (startedAt: number, expiresAt: number, user = 'erp') => ({ user, keyStamp: 'stamp', startedAt: iso(startedAt), expiresAt: iso(expiresAt) });
const started = (n: number, at: number, ttl = 24 * HOUR, user = 'erp') => recorded(stream(n), 0, 'RpcSessionStarted', facts(at, at + ttl, user));
const refreshed = (n: number, revision: number, startedAt: number, expiresAt: number) => recorded(stream(n), revision, 'RpcSessionRefreshed', facts(startedAt, expiresAt));
const ended = (n: number, revision: number, reason = 'logout') => recorded(stream(n), revision, 'RpcSessionEnded', { reason });

test('RpcSessionStarted keeps the session by digest and by user', () => {
  const model = project(rpcSessionsProjection, [started(1, T0)]);
  assert.equal(model.tx.get<RpcSessionView>(RPC_SESSIONS_TABLE, digestOf(1)), {
    user: 'erp',
    keyStamp: 'stamp',
    startedAt: T0,
    expiresAt: T0 + 24 * HOUR,
    revision: 0,
  });
  assert.is(model.tx.get(RPC_SESSIONS_BY_USER_TABLE, ['erp', T0, digestOf(1)]), T0 + 24 * HOUR);
});

test('RpcSessionRefreshed moves the expiry; alone (its Started aged out) it still makes the session', () => {
  const later = T0 + 30 * HOUR;
  const both = project(rpcSessionsProjection, [started(1, T0), refreshed(1, 1, T0, later)]);
  const alone = project(rpcSessionsProjection, [refreshed(1, 1, T0, later)]);
  for (const model of [both, alone]) {
    assert.is(model.tx.get<RpcSessionView>(RPC_SESSIONS_TABLE, digestOf(1))?.expiresAt, later);
    assert.is(model.tx.get(RPC_SESSIONS_BY_USER_TABLE, ['erp', T0, digestOf(1)]), later);
  }
});

test('RpcSessionEnded marks the session ended and drops it from its user\'s sessions; nothing brings it back', () => {
  const model = project(rpcSessionsProjection, [started(1, T0), ended(1, 1, 'evicted')]);
  assert.is(model.tx.get<RpcSessionView>(RPC_SESSIONS_TABLE, digestOf(1))?.ended, 'evicted');
  assert.is(model.tx.get(RPC_SESSIONS_BY_USER_TABLE, ['erp', T0, digestOf(1)]), undefined);
  const replayed = project(rpcSessionsProjection, [started(1, T0), ended(1, 1), started(1, T0), refreshed(1, 1, T0, T0 + 30 * HOUR)]);
  assert.is(replayed.tx.get<RpcSessionView>(RPC_SESSIONS_TABLE, digestOf(1))?.ended, 'logout');
  assert.is(replayed.tx.get(RPC_SESSIONS_BY_USER_TABLE, ['erp', T0, digestOf(1)]), undefined);
});

test('applying the same event twice, or an older one after a newer one, changes nothing', () => {
  const first = started(1, T0);
  const second = refreshed(1, 1, T0, T0 + 30 * HOUR);
  assert.is(project(rpcSessionsProjection, [first, first]).snapshot(), project(rpcSessionsProjection, [first]).snapshot());
  assert.is(project(rpcSessionsProjection, [first, second, first, second]).snapshot(), project(rpcSessionsProjection, [first, second]).snapshot());
});

test('logins prune the sessions expired by their start: the read model stays about as large as the live sessions', () => {
  // A login a minute, each session living an hour; every tenth one is in use and refreshed for good.
  const events = [];
  const refreshedForGood: number[] = [];
  for (let n = 0; n < 600; n++) {
    const at = T0 + n * 60_000;
    events.push(started(n, at, HOUR));
    if (n % 100 === 0) refreshedForGood.push(n);
    for (const [index, kept] of refreshedForGood.entries()) {
      if (n % 10 === 0) events.push(refreshed(kept, n + index + 1, T0 + kept * 60_000, at + HOUR));
    }
  }
  // Revisions of refreshes must grow per stream: rebuild them in order.
  const revisions = new Map<string, number>();
  const ordered = events.map((event) => {
    const revision = (revisions.get(event.streamName) ?? -1) + 1;
    revisions.set(event.streamName, revision);
    return { ...event, revision };
  });
  const model = project(rpcSessionsProjection, ordered);
  const rows = model.table(RPC_SESSIONS_TABLE);
  const last = T0 + 599 * 60_000;
  const live = [...rows.values()].filter((view) => (view as RpcSessionView).expiresAt > last);
  assert.ok(live.length >= 60 + refreshedForGood.length - 1, 'the live sessions are all there');
  // Each login visits four entries and adds one: the visits go round the queue every third of it.
  assert.ok(rows.size <= 1.5 * live.length, `expired rows wait at most a round of the pruning (${rows.size} rows, ${live.length} live)`);
  for (const kept of refreshedForGood) assert.ok(rows.has(JSON.stringify(digestOf(kept))), `session ${kept} in use is kept`);
  assert.is(model.table(RPC_SESSION_QUEUE_TABLE).size, rows.size, 'one queue entry per row');
  assert.is(model.table(RPC_SESSIONS_BY_USER_TABLE).size, rows.size);
});

test('only rpcSession-<sha256> streams feed it', () => {
  const stray = [
    recorded('rpcSession-1', 0, 'RpcSessionStarted', facts(T0, T0 + HOUR)),
    recorded(`rpcSessionArchive-${digestOf(1)}`, 0, 'RpcSessionStarted', facts(T0, T0 + HOUR)),
  ];
  assert.is(project(rpcSessionsProjection, stray).snapshot(), project(rpcSessionsProjection, []).snapshot());
});

test.run();
