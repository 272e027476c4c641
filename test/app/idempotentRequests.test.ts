import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { systemClock } from '../../src/app/clock.ts';
import { IDEMPOTENCY_LEASE_MS, idempotentRequests, type KeyOutcome } from '../../src/app/idempotency/idempotentRequests.ts';
import { idempotencyStream } from '../../src/domain/idempotency/idempotencyStream.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';

interface Context {
  dir: string;
  eventStore: EventStore;
  now: number;
  notKept: string[];
  /** An instance's view of the keys (each instance has its own memory; the store is shared). */
  instance(options?: { leaseMs?: number; realClock?: boolean }): ReturnType<typeof idempotentRequests>;
}

const test = suite<Context>('idempotency keys on the event store');
const REQUEST = { actor: 'erp', api: 'rest' as const, correlationId: 'corr', causationId: 'req' };
const ANSWER = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"pk":1}' };

test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'idempotent-requests-'));
  context.now = Date.parse('2026-01-01T00:00:00Z');
  context.eventStore = await openLmdbEventStore({ path: context.dir, now: () => new Date(context.now) });
  context.notKept = [];
  context.instance = (options = {}) =>
    idempotentRequests({
      eventStore: context.eventStore,
      clock: options.realClock ? systemClock() : () => new Date(context.now).toISOString(),
      onNotKept: (reason) => context.notKept.push(reason),
      pollDelaysMs: [5, 10, 20],
      ...(options.leaseMs === undefined ? {} : { rules: { leaseMs: options.leaseMs } }),
    });
});
test.after.each(async ({ dir, eventStore }) => {
  await eventStore.close();
  await rm(dir, { recursive: true, force: true });
});

const running = (outcome: KeyOutcome) => {
  assert.is(outcome.kind, 'run');
  return outcome as Extract<KeyOutcome, { kind: 'run' }>;
};
const types = async (eventStore: EventStore, key: string, user = 'erp') =>
  (await eventStore.readStream(idempotencyStream(user, key))).map((event) => event.type);

test('the first request claims the key; its answer is replayed to a retry on any instance', async ({ eventStore, instance }) => {
  const [a, b] = [instance(), instance()];
  const first = running(await a.begin('erp', 'k', 'f1', REQUEST));
  await first.finish(ANSWER, true);
  assert.equal(await b.begin('erp', 'k', 'f1', REQUEST), { kind: 'replay', answer: ANSWER });
  assert.equal(await b.begin('erp', 'k', 'f2', REQUEST), { kind: 'reused' }, 'another request with the key');
  assert.equal(await types(eventStore, 'k'), ['IdempotentRequestStarted', 'IdempotentRequestAnswered']);
  const [started] = await eventStore.readStream(idempotencyStream('erp', 'k'));
  assert.equal(started!.data, { fingerprint: 'f1' });
  assert.equal(started!.metadata, { ...REQUEST, occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 });
});

test('a retry of a request still running waits for its answer: on its instance and on another, concurrent retries sharing one wait', async ({ eventStore, instance }) => {
  const [a, b] = [instance(), instance()];
  const original = running(await a.begin('erp', 'k', 'f', REQUEST));
  const reads = countReads(eventStore);
  const retries = [a.begin('erp', 'k', 'f', REQUEST), b.begin('erp', 'k', 'f', REQUEST), b.begin('erp', 'k', 'f', REQUEST), b.begin('erp', 'k', 'f', REQUEST)];
  await new Promise((resolve) => setTimeout(resolve, 100));
  const polls = reads.count;
  assert.ok(polls < 30, `${polls} reads while waiting 100 ms: one poll for the three retries on b`);
  await original.finish(ANSWER, true);
  for (const retry of await Promise.all(retries)) assert.equal(retry, { kind: 'replay', answer: ANSWER });
  reads.restore();
});

test('a released key (an answer that is not kept) is claimed again at once', async ({ eventStore, instance }) => {
  const [a, b] = [instance(), instance()];
  await running(await a.begin('erp', 'k', 'f', REQUEST)).finish({ status: 503, headers: {}, body: '' }, false);
  const retry = running(await b.begin('erp', 'k', 'f', REQUEST));
  await retry.finish(ANSWER, true);
  assert.equal(await types(eventStore, 'k'), ['IdempotentRequestStarted', 'IdempotentRequestReleased', 'IdempotentRequestStarted', 'IdempotentRequestAnswered']);
  assert.equal((await eventStore.readStream(idempotencyStream('erp', 'k')))[1]!.data, { fingerprint: 'f', status: 503 });
});

test('a claim left unanswered for a lease (its instance died) is taken over by one request only', async (context) => {
  const [a, b, c] = [context.instance(), context.instance(), context.instance()];
  const abandoned = running(await a.begin('erp', 'k', 'f', REQUEST));
  context.now += IDEMPOTENCY_LEASE_MS;
  const [onB, onC] = [b.begin('erp', 'k', 'f', REQUEST), c.begin('erp', 'k', 'f', REQUEST)];
  const first = await Promise.race([onB, onC]);
  const taker = running(first);
  await taker.finish(ANSWER, true);
  const outcomes = await Promise.all([onB, onC]);
  assert.equal(outcomes.filter((outcome) => outcome.kind === 'run').length, 1);
  assert.ok(outcomes.some((outcome) => outcome.kind === 'replay'), 'the other gets the taker\'s answer');
  await abandoned.finish({ ...ANSWER, body: '{"pk":2}' }, true);
  assert.equal(context.notKept, ['idempotency key not remembered'], 'the first claimant lost the key: its late answer is not stored');
  assert.equal(await types(context.eventStore, 'k'), ['IdempotentRequestStarted', 'IdempotentRequestStarted', 'IdempotentRequestAnswered']);
});

test('a request that runs longer than the lease renews its claim: retries wait instead of taking over', async ({ eventStore, instance }) => {
  const options = { leaseMs: 300, realClock: true };
  const [a, b] = [instance(options), instance(options)];
  const slow = running(await a.begin('erp', 'k', 'f', REQUEST));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const retry = b.begin('erp', 'k', 'f', REQUEST);
  await new Promise((resolve) => setTimeout(resolve, 700));
  await slow.finish(ANSWER, true);
  assert.equal(await retry, { kind: 'replay', answer: ANSWER });
  const events = await types(eventStore, 'k');
  assert.ok(events.filter((type) => type === 'IdempotentRequestStarted').length >= 3, `renewed: ${events.join(', ')}`);
  assert.is(events.at(-1), 'IdempotentRequestAnswered');
});

test('keys belong to their user; keys that look like stream names stay inside their hashed stream', async ({ eventStore, instance }) => {
  const requests = instance();
  const keys = ['$all', '-', '/', '..', '$$idempotency-x', 'settings', 'idempotency-', 'product-1', '$ce-product'];
  for (const key of keys) await running(await requests.begin('erp', key, 'f', REQUEST)).finish(ANSWER, true);
  await running(await requests.begin('backoffice', '$all', 'f', REQUEST)).finish(ANSWER, true);
  const streams = [...new Set((await eventStore.readAll()).map((event) => event.streamName))];
  assert.is(streams.length, keys.length + 1);
  for (const stream of streams) assert.match(stream, /^idempotency-[0-9a-f]{64}$/);
  assert.equal(await eventStore.readStream('settings'), []);
  assert.equal(await eventStore.readStream('product-1'), []);
});

/** Counts the stream reads of `eventStore` until restored. */
function countReads(eventStore: EventStore) {
  const readStream = eventStore.readStream.bind(eventStore);
  const counter = { count: 0, restore: () => void (eventStore.readStream = readStream) };
  eventStore.readStream = (...args) => {
    counter.count += 1;
    return readStream(...args);
  };
  return counter;
}

test.run();
