import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { fixedStepClock } from '../../src/app/clock.ts';
import { commandHandler, type RequestContext } from '../../src/app/commandHandler.ts';
import { upcastingEventStore } from '../../src/app/upcastingEventStore.ts';
import type { Command, Decider } from '../../src/domain/decider.ts';
import { galleryDecider } from '../../src/domain/gallery/galleryDecider.ts';
import { productDecider } from '../../src/domain/product/productDecider.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import { newImage, product } from '../domain/galleryFixtures.ts';
import { rejectsWith } from '../support/rejectsWith.ts';
import { spyEventStore } from '../support/spyEventStore.ts';

interface Context {
  dir: string;
  raw: EventStore;
  /** The store as the service's handler reads it: through the upcasters. */
  store: EventStore;
}

const test = suite<Context>('command handler keeping aggregate states');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'command-handler-'));
  context.raw = await openLmdbEventStore({ path: context.dir });
  context.store = upcastingEventStore(context.raw);
});
test.after.each(async ({ dir, raw }) => {
  await raw.close();
  await rm(dir, { recursive: true, force: true });
});

const context: RequestContext = { actor: 'erp', api: 'rest', correlationId: 'c', causationId: 'c' };
const register = (productPk: number) =>
  ({ type: 'RegisterProduct', data: { productPk, sku: `SKU-${productPk}`, name: 'Lamp', mediaEnabled: true } }) as const;
const rename = (name: string) => ({ type: 'ChangeProductDetails', data: { name } }) as const;
const metadata = { actor: 'legacy', api: 'cli', correlationId: 'c', causationId: 'c', occurredAt: '2023-01-05T10:05:00.000000Z', schemaVersion: 1 };

test('a command reads only the events after the state it remembers', async ({ store }) => {
  const spy = spyEventStore(store);
  const handle = commandHandler({ eventStore: spy.store, clock: fixedStepClock() });
  await handle('product-1', productDecider, register(1), context);
  for (const name of ['A', 'B', 'C']) await handle('product-1', productDecider, rename(name), context);
  assert.equal(
    spy.reads.map(({ options, events }) => ({ options, events })),
    [
      { options: {}, events: 0 },
      { options: { fromRevision: 1 }, events: 0 },
      { options: { fromRevision: 2 }, events: 0 },
      { options: { fromRevision: 3 }, events: 0 },
    ],
  );
});

test("another instance's write is read as the tail; one landing between read and append costs a conflict and one more tail read", async ({ store }) => {
  const spy = spyEventStore(store);
  const handle = commandHandler({ eventStore: spy.store, clock: fixedStepClock() });
  const otherInstance = commandHandler({ eventStore: store, clock: fixedStepClock() });
  await handle('product-2', productDecider, register(2), context);
  await otherInstance('product-2', productDecider, rename('B'), context);
  spy.reads.length = 0;

  const renamed = await handle('product-2', productDecider, rename('C'), context);
  assert.equal(spy.reads.map(({ options, events }) => ({ options, events })), [{ options: { fromRevision: 1 }, events: 1 }]);
  assert.equal(renamed.events, [{ type: 'ProductRenamed', data: { productPk: 2, name: 'C', previousName: 'B' } }]);

  spy.reads.length = 0;
  spy.beforeNextAppend(async () => void (await otherInstance('product-2', productDecider, rename('D'), context)));
  const afterConflict = await handle('product-2', productDecider, rename('E'), context);
  assert.equal(spy.reads.map(({ options, events }) => ({ options, events })), [
    { options: { fromRevision: 3 }, events: 0 },
    { options: { fromRevision: 3 }, events: 1 },
  ]);
  assert.equal(afterConflict.events, [{ type: 'ProductRenamed', data: { productPk: 2, name: 'E', previousName: 'D' } }]);
  assert.is(afterConflict.revision, 4);
});

test('If-Match: a revision older than the remembered state is refused, the current one is accepted', async ({ store }) => {
  const handle = commandHandler({ eventStore: store, clock: fixedStepClock() });
  await handle('product-3', productDecider, register(3), context);
  await handle('product-3', productDecider, rename('B'), context);
  await rejectsWith(() => handle('product-3', productDecider, rename('C'), context, { expectedRevision: 0 }), 'WRONG_EXPECTED_REVISION', {
    status: 412,
    message: 'Stream product-3 is at 1, expected 0.',
  });
  const accepted = await handle('product-3', productDecider, rename('C'), context, { expectedRevision: 1 });
  assert.is(accepted.revision, 2);
});

test('a refused decision, a failed append and an append that landed but reported a failure leave no wrong state behind', async ({ store }) => {
  const spy = spyEventStore(store);
  const handle = commandHandler({ eventStore: spy.store, clock: fixedStepClock() });
  await handle('product-4', productDecider, register(4), context);
  await rejectsWith(() => handle('product-4', productDecider, register(4), context), 'PRODUCT_PK_TAKEN', { message: 'product with this pk already exists.' });

  spy.beforeNextAppend(async () => {
    throw new Error('disk full');
  });
  await handle('product-4', productDecider, rename('Lost'), context).then(
    () => assert.unreachable('the append failed'),
    (error: Error) => assert.is(error.message, 'disk full'),
  );
  spy.afterNextAppend(async () => {
    throw new Error('connection lost after the write');
  });
  await handle('product-4', productDecider, rename('Landed'), context).then(
    () => assert.unreachable('the append reported a failure'),
    (error: Error) => assert.is(error.message, 'connection lost after the write'),
  );
  const next = await handle('product-4', productDecider, rename('Next'), context);
  assert.equal(next.events, [{ type: 'ProductRenamed', data: { productPk: 4, name: 'Next', previousName: 'Landed' } }]);
  assert.equal(next.state, { status: 'registered', productPk: 4, sku: 'SKU-4', name: 'Next', mediaEnabled: true });
});

type Count = { count: number };
type Bump = Command<'Bump', Record<string, never>>;
type Bumped = { type: 'Bumped'; data: Record<string, never> };

test('a remembered state is frozen: a decider that changes it throws, and later commands decide on the true state', async ({ store }) => {
  const counter: Decider<Count, Bump, Bumped> = {
    initialState: () => ({ count: 0 }),
    evolve: (state) => ({ count: state.count + 1 }),
    decide: () => [{ type: 'Bumped', data: {} }],
  };
  const careless: Decider<Count, Bump, Bumped> = {
    ...counter,
    decide: (_command, state) => {
      state.count += 100;
      return [{ type: 'Bumped', data: {} }];
    },
  };
  const handle = commandHandler({ eventStore: store, clock: fixedStepClock() });
  await handle('counter-1', counter, { type: 'Bump', data: {} }, context);
  await handle('counter-1', counter, { type: 'Bump', data: {} }, context);
  // The same stream under another decider is folded afresh, and its fold is kept frozen too.
  await handle('counter-1', careless, { type: 'Bump', data: {} }, context).then(
    () => assert.unreachable('a frozen state cannot change'),
    (error: Error) => assert.instance(error, TypeError),
  );
  const next = await handle('counter-1', counter, { type: 'Bump', data: {} }, context);
  assert.equal(next.state, { count: 3 });
  assert.ok(Object.isFrozen(next.state));
});

test('tails are upcast: an old event appended after the remembered state reaches evolve at its current version', async ({ store, raw }) => {
  type Seen = { seen: unknown[] };
  const recorder: Decider<Seen, Bump, { type: string; data: unknown }> = {
    initialState: () => ({ seen: [] }),
    evolve: (state, event) => ({ seen: [...state.seen, event.data] }),
    decide: () => [{ type: 'ImageLabelChanged', data: { imagePk: 5, label: 'x', previousLabel: '' } }],
  };
  const handle = commandHandler({ eventStore: store, clock: fixedStepClock() });
  await handle('productMedia-42', recorder, { type: 'Bump', data: {} }, context);
  await raw.appendToStream('productMedia-42', [{ id: randomUUID(), type: 'ImageRestored', data: { imagePk: 5 }, metadata }]);
  const result = await handle('productMedia-42', recorder, { type: 'Bump', data: {} }, context);
  assert.equal(result.state.seen, [
    { imagePk: 5, label: 'x', previousLabel: '' },
    { imagePk: 5, productPk: 42 },
    { imagePk: 5, label: 'x', previousLabel: '' },
  ]);
});

test('with the cache off every command reads its whole stream, as before', async ({ store }) => {
  const spy = spyEventStore(store);
  const handle = commandHandler({ eventStore: spy.store, clock: fixedStepClock(), cacheBytes: 0 });
  const upload = (imagePk: number) => ({ type: 'UploadImage', data: { product: product(6), ...newImage(6, imagePk) } }) as const;
  await handle('productMedia-6', galleryDecider, upload(1), context);
  await handle('productMedia-6', galleryDecider, upload(2), context);
  assert.equal(spy.reads.map(({ options, events }) => ({ options, events })), [
    { options: {}, events: 0 },
    { options: {}, events: 1 },
  ]);
});

test.run();
