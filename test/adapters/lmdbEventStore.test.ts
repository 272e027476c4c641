import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore, type LmdbEventStoreOptions } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { AppError, ConcurrencyError, StoreWriteError, UnavailableError } from '../../src/errors/appError.ts';
import { comparePositions, type EventStore, type Position } from '../../src/ports/eventStore.ts';
import { eventData, eventStoreContract, recordSubscription } from '../contracts/eventStoreContract.ts';
import { switchableDisk } from '../support/switchableDisk.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lmdb-event-store-'));
}

eventStoreContract('lmdb', async () => {
  const dir = await tempDir();
  const store = await openLmdbEventStore({ path: join(dir, 'events') });
  return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

interface Context {
  dir: string;
  path: string;
  /** Stores opened by the test; closed after it. */
  opened: EventStore[];
  open: (options?: Partial<LmdbEventStoreOptions>) => Promise<EventStore>;
}

const test = suite<Context>('lmdb event store');

test.before.each(async (context) => {
  context.dir = await tempDir();
  context.path = join(context.dir, 'events');
  context.opened = [];
  context.open = async (options = {}) => {
    const store = await openLmdbEventStore({ path: context.path, ...options });
    context.opened.push(store);
    return store;
  };
});
test.after.each(async ({ dir, opened }) => {
  for (const store of opened) await store.close();
  await rm(dir, { recursive: true, force: true });
});

test('a reopened store holds every stream, event and position of before', async ({ open }) => {
  const first = await open();
  for (let n = 0; n < 30; n++) await first.appendToStream(`product-${n % 4}`, [eventData(), eventData()]);
  const streamsBefore = await Promise.all([0, 1, 2, 3].map((n) => first.readStream(`product-${n}`)));
  const logBefore = await first.readAll();
  await first.close();

  const second = await open();
  assert.equal(await Promise.all([0, 1, 2, 3].map((n) => second.readStream(`product-${n}`))), streamsBefore);
  assert.equal(await second.readAll(), logBefore);
  const next = await second.appendToStream('product-0', [eventData()], { expectedRevision: 15 });
  assert.is(next.nextExpectedRevision, 16);
  assert.ok(comparePositions(logBefore.at(-1)?.position, next.position) < 0, 'positions keep growing');
});

test('a stream\'s max age survives a reopen, and expired events stay in $all, hidden from stream reads only', async ({ open }) => {
  let now = Date.parse('2026-03-01T00:00:00Z');
  const clock = () => new Date(now);
  const first = await open({ now: clock });
  await first.setStreamMaxAge('idempotency-1', 60);
  const old = eventData();
  await first.appendToStream('idempotency-1', [old], { expectedRevision: 'no_stream' });
  await first.close();

  now += 61_000;
  const second = await open({ now: clock });
  assert.equal(await second.readStream('idempotency-1'), []);
  assert.equal((await second.readAll()).map((event) => event.id), [old.id], 'kept in the log: positions never move');
  const fresh = eventData();
  await second.appendToStream('idempotency-1', [fresh], { expectedRevision: 0 });
  assert.equal((await second.readStream('idempotency-1')).map((event) => event.id), [fresh.id]);
  now += 59_000;
  assert.equal((await second.readStream('idempotency-1')).map((event) => event.id), [fresh.id], 'still young');
});

test('the stream index survives many flushes and a reopen without them', async ({ open }) => {
  // More events than the in-memory part of the stream index holds, over few streams, in rounds:
  // flushes happen between and during rounds, and reads then span persisted and in-memory parts.
  const store = await open();
  for (let round = 0; round < 20; round++) {
    await Promise.all(
      Array.from({ length: 1000 }, (_, offset) => {
        const n = round * 1000 + offset;
        return store.appendToStream(`gallery-${n % 7}`, [eventData('Counted', { n })]);
      }),
    );
  }
  const counted = async (reader: EventStore, stream: string) =>
    (await reader.readStream(stream)).map((event) => (event.data as { n: number }).n);
  const expected = Array.from({ length: 20_000 }, (_, n) => n).filter((n) => n % 7 === 3);
  assert.equal(await counted(store, 'gallery-3'), expected);
  assert.equal(
    (await store.readStream('gallery-3', { direction: 'backwards', fromRevision: 2000, maxCount: 3 })).map((e) => e.revision),
    [2000, 1999, 1998],
  );
  await store.close();
  assert.equal(await counted(await open(), 'gallery-3'), expected);
});

test('concurrent appends to distinct streams all succeed', async ({ open }) => {
  const store = await open();
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, n) => store.appendToStream(`productMedia-${n}`, [eventData()], { expectedRevision: 'no_stream' })),
  );
  assert.ok(results.every((result) => result.nextExpectedRevision === 0));
  const positions = results.map((result) => result.position);
  assert.is(new Set(positions).size, 200, 'every append has its own position');
  assert.is((await store.readAll()).length, 200);
});

test('a retry issued while the original append is still in flight answers the original result', async ({ open }) => {
  const store = await open();
  await store.appendToStream('product-1', [eventData()], { expectedRevision: 'no_stream' });
  for (const expectedRevision of [0, 'any'] as const) {
    const events = [eventData(), eventData()];
    const [original, retry] = await Promise.all([
      store.appendToStream('product-1', events, { expectedRevision }),
      // A later turn, while the original is being written.
      new Promise((resolve) => setImmediate(resolve)).then(() => store.appendToStream('product-1', events, { expectedRevision })),
    ]);
    assert.equal(retry, original);
  }
  assert.is((await store.readStream('product-1')).length, 5, 'each retried append is stored once');
});

test('appends to one stream from many turns keep their revisions contiguous', async ({ open }) => {
  const store = await open();
  let expected: number | 'no_stream' = 'no_stream';
  const conflicts: unknown[] = [];
  await Promise.all(
    Array.from({ length: 40 }, async (_, writer) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        await new Promise((resolve) => setImmediate(resolve));
        try {
          expected = (await store.appendToStream('product-9', [eventData(`W${writer}`)], { expectedRevision: expected })).nextExpectedRevision;
        } catch (error) {
          conflicts.push(error);
        }
      }
    }),
  );
  const stored = await store.readStream('product-9');
  assert.equal(stored.map((event) => event.revision), stored.map((_, index) => index));
  assert.is(stored.length + conflicts.length, 200, 'every append either landed or was refused');
  assert.ok(conflicts.length > 0 && conflicts.every((error) => error instanceof ConcurrencyError), 'refusals are conflicts');
});

test('an empty append to a missing stream answers revision -1 at the start of the log', async ({ open }) => {
  const store = await open();
  for (const expectedRevision of ['no_stream', 'any'] as const) {
    assert.equal(await store.appendToStream('settings', [], { expectedRevision }), {
      nextExpectedRevision: -1,
      position: '0000000000000000',
    });
  }
  assert.equal(await store.readAll(), []);
});

test('created is the store clock at the time of the append', async ({ open }) => {
  const store = await open({ now: () => new Date('2024-05-06T07:08:09.123Z') });
  await store.appendToStream('settings', [eventData('SettingChanged')]);
  const [event] = await store.readStream('settings');
  assert.is(event?.created, '2024-05-06T07:08:09.123Z');
});

test('positions are fixed-width hex strings in commit order', async ({ open }) => {
  const store = await open();
  const positions: Position[] = [];
  for (let n = 0; n < 20; n++) positions.push((await store.appendToStream('settings', [eventData()])).position);
  assert.ok(positions.every((position) => /^[0-9a-f]{16}$/.test(position)));
  assert.equal([...positions].sort(), positions);
});

test('a position from elsewhere is refused', async ({ open }) => {
  const store = await open();
  try {
    await store.readAll({ fromPosition: 'C:123/P:123' as Position });
    assert.unreachable('expected a refusal');
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, 'INVALID_POSITION');
    assert.is((error as AppError).message, 'Not a position of the LMDB event store: C:123/P:123.');
  }
});

test('a filtered subscription reports a checkpoint after skipping many events', async ({ open }) => {
  const store = await open({ checkpointAfterSkipped: 10 });
  for (let n = 0; n < 25; n++) await store.appendToStream('other-1', [eventData()]);
  await store.appendToStream('wanted-1', [eventData()]);
  const last = await store.appendToStream('other-1', [eventData()]);
  const subscription = recordSubscription(store.subscribeToAll({ filter: { streamNamePrefixes: ['wanted-'] } }));
  try {
    await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
    assert.equal(
      subscription.messages.map((m) => m.kind),
      ['checkpoint', 'checkpoint', 'event', 'caughtUp'],
    );
    const [tenth, twentieth] = await store.readAll({ maxCount: 20 }).then((events) => [events[9], events[19]]);
    assert.equal(
      subscription.messages.flatMap((m) => (m.kind === 'checkpoint' ? [m.position] : [])),
      [tenth?.position, twentieth?.position],
    );
    assert.ok(comparePositions(subscription.events()[0]?.position, last.position) < 0);
  } finally {
    subscription.unsubscribe();
  }
});

test('history arrives in batches that yield to the event loop', async ({ open }) => {
  const store = await open({ subscriptionBatchSize: 100 });
  await Promise.all(Array.from({ length: 1000 }, () => store.appendToStream('settings', [eventData()])));
  let turns = 0;
  const ticker = setInterval(() => (turns += 1), 0);
  const subscription = recordSubscription(store.subscribeToAll());
  try {
    await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
    assert.is(subscription.events().length, 1000);
    assert.ok(turns >= 1, 'timers ran while the history was delivered');
  } finally {
    clearInterval(ticker);
    subscription.unsubscribe();
  }
});

test('an unsubscribed subscription leaves no immediate or timer behind', async ({ open }) => {
  const store = await open({ subscriptionBatchSize: 10 });
  await Promise.all(Array.from({ length: 100 }, () => store.appendToStream('settings', [eventData()])));
  const pending = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Immediate' || kind === 'Timeout');
  await new Promise((resolve) => setTimeout(resolve, 5));
  const before = pending().length;
  const subscription = recordSubscription(store.subscribeToAll());
  await subscription.until(() => subscription.events().length >= 30, 'some history');
  subscription.unsubscribe();
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.is(pending().length, before);
  assert.ok(subscription.events().length < 100, 'unsubscribed before the end of the history');
});

test('closing the store completes its subscriptions', async ({ open }) => {
  const store = await open();
  let completed = false;
  const subscription = store.subscribeToAll().subscribe({ complete: () => (completed = true) });
  await store.close();
  assert.ok(completed);
  assert.ok(subscription.closed);
});

test('a closed store refuses appends and reads', async ({ open }) => {
  const store = await open();
  await store.close();
  for (const call of [() => store.appendToStream('settings', [eventData()]), () => store.readAll()]) {
    try {
      await call();
      assert.unreachable('expected a refusal');
    } catch (error) {
      assert.instance(error, AppError);
      assert.is((error as AppError).code, 'UNAVAILABLE');
      assert.is((error as AppError).message, 'The event store is closed.');
    }
  }
});

test('an event id that is not a non-empty string is refused before anything is written', async ({ open }) => {
  const store = await open();
  try {
    await store.appendToStream('settings', [eventData(), { ...eventData(), id: '' }]);
    assert.unreachable('expected a refusal');
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, 'INVALID_ARGUMENT');
    assert.is((error as AppError).message, 'Event id must be a non-empty string of at most 1000 bytes.');
  }
  assert.equal(await store.readStream('settings'), []);
});

test('event data round-trips as JSON', async ({ open }) => {
  const store = await open();
  const data = { text: 'quote " backslash \\ line\nunicode ✓ \u2028', list: [1, null, true], empty: {} };
  await store.appendToStream('settings', [{ id: randomUUID(), type: 'T', data, metadata: undefined }]);
  const [event] = await store.readStream('settings');
  assert.equal(event?.data, data);
  assert.is(event?.metadata, null);
});

test('on a full disk an append is refused before LMDB writes (503, nothing lands, no unhandled rejection) and appends land again once there is room', async ({ open }) => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    const disk = switchableDisk();
    const store = await open({ space: disk });
    await store.appendToStream('settings', [eventData()]);
    disk.full = true;
    const refusals = await Promise.allSettled([store.appendToStream('settings', [eventData()]), store.appendToStream('product-1', [eventData()])]);
    for (const refusal of refusals) {
      assert.ok(refusal.status === 'rejected' && refusal.reason instanceof UnavailableError, 'a 503 for the caller');
      const cause = (refusal as PromiseRejectedResult).reason.cause;
      assert.ok(cause instanceof StoreWriteError && cause.reason === 'ENOSPC', 'caused by the full disk');
    }
    assert.is((await store.readAll()).length, 1, 'nothing landed');
    disk.full = false;
    const next = await store.appendToStream('settings', [eventData()]);
    assert.is(next.nextExpectedRevision, 1, 'the stream goes on where it was');
    assert.equal((await store.readAll()).map((event) => event.streamName), ['settings', 'settings']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(rejections, []);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});

test.run();
