import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PRODUCTS_TABLE, productsProjection, type ProductView } from '../../projections/products.ts';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import { UnavailableError } from '../../src/errors/appError.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { EventStore, RecordedEvent } from '../../src/ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../../src/ports/readModelStore.ts';
import { startProjection } from '../../src/projections/projectionRunner.ts';
import { waitUntil } from '../support/testService.ts';

interface Context {
  dir: string;
  eventStore: EventStore;
}
const test = suite<Context>('projection runner');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'projection-runner-'));
  context.eventStore = await openLmdbEventStore({ path: join(context.dir, 'events') });
});
test.after.each(async ({ dir, eventStore }) => {
  await eventStore.close();
  await rm(dir, { recursive: true, force: true });
});

const metadata = (second: number) => ({
  actor: 'erp',
  api: 'rest',
  correlationId: 'c',
  causationId: 'c',
  occurredAt: `2024-05-25T10:00:${String(second % 60).padStart(2, '0')}.000000Z`,
  schemaVersion: 1,
});

/** Registers products `from..to` and renames each once, interleaved with noise streams. */
async function appendProducts(eventStore: EventStore, from: number, to: number) {
  for (let pk = from; pk <= to; pk++) {
    await eventStore.appendToStream(`product-${pk}`, [
      { id: crypto.randomUUID(), type: 'ProductRegistered', data: { productPk: pk, sku: `S${pk}`, name: `n${pk}`, mediaEnabled: true }, metadata: metadata(pk) },
      { id: crypto.randomUUID(), type: 'ProductRenamed', data: { productPk: pk, name: `m${pk}`, previousName: `n${pk}` }, metadata: metadata(pk + 1) },
    ]);
    await eventStore.appendToStream(`productSku-S${pk}`, [
      { id: crypto.randomUUID(), type: 'SkuClaimed', data: { sku: `S${pk}`, productPk: pk }, metadata: metadata(pk) },
    ]);
  }
}

/** Wraps a projection to record which events reach `apply`. */
function spied(projection: Projection) {
  const applied: RecordedEvent[] = [];
  return { applied, projection: { ...projection, apply: (tx, event) => (applied.push(event), projection.apply(tx, event)) } as Projection };
}

async function runUntilCaughtUp(eventStore: EventStore, readModels: ReadModelStore, projection: Projection) {
  const runner = startProjection({ eventStore, readModels, logger: silentLogger }, projection);
  await waitUntil(() => runner.isCaughtUp());
  return runner;
}

test('applies history, then live events, and commits the checkpoint with them', async ({ dir, eventStore }) => {
  await appendProducts(eventStore, 1, 3);
  const readModels = openLmdbReadModelStore({ path: join(dir, 'rm') });
  const runner = await runUntilCaughtUp(eventStore, readModels, productsProjection);
  assert.is(readModels.count(PRODUCTS_TABLE), 3);
  await appendProducts(eventStore, 4, 4);
  const [last] = await eventStore.readAll({ direction: 'backwards', maxCount: 1 });
  const [lastProductEvent] = await eventStore.readStream('product-4', { direction: 'backwards', maxCount: 1 });
  await runner.waitFor(lastProductEvent!.position, 2000);
  assert.is(readModels.get<ProductView>(PRODUCTS_TABLE, 4)?.name, 'm4');
  assert.ok(readModels.checkpoint('products')!.position >= lastProductEvent!.position);
  assert.ok(last);
  await runner.stop();
  await readModels.close();
});

test('a restart resumes from the checkpoint without re-applying events', async ({ dir, eventStore }) => {
  await appendProducts(eventStore, 1, 5);
  let readModels = openLmdbReadModelStore({ path: join(dir, 'rm') });
  const first = spied(productsProjection);
  await (await runUntilCaughtUp(eventStore, readModels, first.projection)).stop();
  await readModels.close();
  assert.is(first.applied.length, 10);

  await appendProducts(eventStore, 6, 7);
  readModels = openLmdbReadModelStore({ path: join(dir, 'rm') });
  const second = spied(productsProjection);
  await (await runUntilCaughtUp(eventStore, readModels, second.projection)).stop();
  assert.equal(second.applied.map((event) => event.streamName), ['product-6', 'product-6', 'product-7', 'product-7']);
  assert.is(readModels.count(PRODUCTS_TABLE), 7);
  await readModels.close();
});

test('a rebuild from scratch yields a byte-identical read model', async ({ dir, eventStore }) => {
  await appendProducts(eventStore, 1, 30);
  // Incrementally: stop and restart between appends.
  let incremental = openLmdbReadModelStore({ path: join(dir, 'incremental') });
  await (await runUntilCaughtUp(eventStore, incremental, productsProjection)).stop();
  await incremental.close();
  await appendProducts(eventStore, 31, 60);
  incremental = openLmdbReadModelStore({ path: join(dir, 'incremental') });
  const live = await runUntilCaughtUp(eventStore, incremental, productsProjection);
  await appendProducts(eventStore, 61, 70);
  const [tail] = await eventStore.readStream('product-70', { direction: 'backwards', maxCount: 1 });
  await live.waitFor(tail!.position, 2000);
  await live.stop();

  const rebuilt = openLmdbReadModelStore({ path: join(dir, 'rebuilt') });
  await (await runUntilCaughtUp(eventStore, rebuilt, productsProjection)).stop();
  const tables = productsProjection.tables;
  assert.is(rebuilt.count(PRODUCTS_TABLE), 70);
  assert.is(rebuilt.hash(tables), incremental.hash(tables));
  assert.equal(rebuilt.checkpoint('products'), incremental.checkpoint('products'));
  // The hash is sensitive: one changed row changes it.
  rebuilt.commit(productsProjection, (tx) => tx.put(PRODUCTS_TABLE, 1, { changed: true }), rebuilt.checkpoint('products')!.position);
  assert.is.not(rebuilt.hash(tables), incremental.hash(tables));
  await Promise.all([incremental.close(), rebuilt.close()]);
});

test('a new projection version rebuilds the read model from scratch', async ({ dir, eventStore }) => {
  await appendProducts(eventStore, 1, 3);
  const readModels = openLmdbReadModelStore({ path: join(dir, 'rm') });
  await (await runUntilCaughtUp(eventStore, readModels, productsProjection)).stop();
  readModels.commit(productsProjection, (tx) => tx.put(PRODUCTS_TABLE, 999, { stale: true }), readModels.checkpoint('products')!.position);
  const next = spied({ ...productsProjection, version: productsProjection.version + 1 });
  await (await runUntilCaughtUp(eventStore, readModels, next.projection)).stop();
  assert.is(next.applied.length, 6);
  assert.is(readModels.get(PRODUCTS_TABLE, 999), undefined);
  assert.is(readModels.checkpoint('products')?.version, productsProjection.version + 1);
  await readModels.close();
});

test('a failing projection stops, reports not caught up, and rejects waiters', async ({ dir, eventStore }) => {
  await appendProducts(eventStore, 1, 1);
  const readModels = openLmdbReadModelStore({ path: join(dir, 'rm') });
  const broken: Projection = { ...productsProjection, apply: () => { throw new Error('bug'); } };
  const runner = startProjection({ eventStore, readModels, logger: silentLogger }, broken);
  const [event] = await eventStore.readStream('product-1');
  try {
    await runner.waitFor(event!.position, 2000);
    assert.unreachable('waitFor must reject');
  } catch (error) {
    assert.instance(error, UnavailableError);
  }
  assert.is(runner.isCaughtUp(), false);
  assert.is(readModels.checkpoint('products'), undefined, 'nothing committed past the failure');
  await runner.stop();
  await readModels.close();
});

test('waitFor times out with UnavailableError when the position never comes', async ({ dir, eventStore }) => {
  const readModels = openLmdbReadModelStore({ path: join(dir, 'rm') });
  const runner = await runUntilCaughtUp(eventStore, readModels, productsProjection);
  try {
    await runner.waitFor('ffffffffffffffffffff' as never, 50);
    assert.unreachable('waitFor must time out');
  } catch (error) {
    assert.instance(error, UnavailableError);
  }
  await runner.stop();
  await readModels.close();
});

test.run();
