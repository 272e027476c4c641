import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PRODUCTS_TABLE, productsProjection, type ProductView } from '../../projections/products.ts';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import { createLogger, silentLogger } from '../../src/logging/logger.ts';
import type { EventStore, Position, RecordedEvent } from '../../src/ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../../src/ports/readModelStore.ts';
import { startProjection } from '../../src/projections/projectionRunner.ts';
import { memoryReadModelStore } from '../support/memoryReadModelStore.ts';
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
  assert.ok(await runner.waitFor(lastProductEvent!.position, 2000));
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
  assert.ok(await live.waitFor(tail!.position, 2000));
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

test('a projection that throws on an event stops for good: not caught up, waiters answered false, nothing committed', async ({ dir, eventStore }) => {
  await appendProducts(eventStore, 1, 1);
  const readModels = openLmdbReadModelStore({ path: join(dir, 'rm') });
  const broken: Projection = { ...productsProjection, apply: () => { throw new Error('bug'); } };
  const runner = startProjection({ eventStore, readModels, logger: silentLogger, commitRetryDelays: { firstMs: 5, maxMs: 10 } }, broken);
  const [event] = await eventStore.readStream('product-1');
  assert.is(await runner.waitFor(event!.position, 2000), false);
  assert.is(runner.isCaughtUp(), false);
  assert.is(runner.status().state, 'failed');
  assert.is(runner.status().reason, 'apply failed');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.is(readModels.checkpoint('products'), undefined, 'nothing committed past the failure, and no retry');
  await runner.stop();
  await readModels.close();
});

test('waitFor answers false when the position does not come in time', async ({ dir, eventStore }) => {
  const readModels = openLmdbReadModelStore({ path: join(dir, 'rm') });
  const runner = await runUntilCaughtUp(eventStore, readModels, productsProjection);
  const started = Date.now();
  assert.is(await runner.waitFor('ffffffffffffffffffff' as never, 50), false);
  assert.ok(Date.now() - started >= 45);
  await runner.stop();
  await readModels.close();
});

/**
 * Counts every application of every event in the read model itself: unlike a real projection it
 * is not idempotent, so an event applied twice, or skipped, shows in the rows.
 */
const counting: Projection = {
  name: 'counting',
  version: 1,
  tables: ['applied'],
  streamNamePrefixes: ['product-'],
  apply(tx, event) {
    tx.put('applied', event.id, (tx.get<number>('applied', event.id) ?? 0) + 1);
    tx.put('applied', 'total', (tx.get<number>('applied', 'total') ?? 0) + 1);
  },
};

async function productEventIds(eventStore: EventStore): Promise<string[]> {
  return (await eventStore.readAll()).filter((event) => event.streamName.startsWith('product-')).map((event) => event.id);
}

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) }) };
}

test('a commit that fails is retried with growing delays and resumes by itself; every event is applied once', async ({ eventStore }) => {
  await appendProducts(eventStore, 1, 3);
  const readModels = memoryReadModelStore();
  readModels.failCommits(4);
  const { lines, logger } = capturedLogger();
  const runner = startProjection({ eventStore, readModels, logger, commitRetryDelays: { firstMs: 20, maxMs: 80 } }, counting);

  await waitUntil(() => runner.status().state === 'retrying');
  const status = runner.status();
  assert.is(status.reason, 'ENOSPC');
  assert.match(String(status.since), /^\d{4}-\d\d-\d\dT/);
  assert.is(runner.isCaughtUp(), false);
  const [newest] = await eventStore.readAll({ direction: 'backwards', maxCount: 1 });
  const asked = Date.now();
  assert.is(await runner.waitFor(newest!.position, 5000), false, 'a waiter is not held while commits fail');
  assert.ok(Date.now() - asked < 500);

  await waitUntil(() => runner.isCaughtUp(), 5000);
  const ids = await productEventIds(eventStore);
  assert.is(readModels.get('applied', 'total'), ids.length, 'no event skipped, none applied twice');
  for (const id of ids) assert.is(readModels.get('applied', id), 1);
  assert.is(readModels.checkpoint('counting')?.position, (await eventStore.readStream('product-3'))[1]!.position);

  // Each retry waited at least half its ceiling (20, 40, 80, 80 ms: doubling up to the cap).
  const tried = readModels.attempts.map((attempt) => attempt.at);
  assert.equal(readModels.attempts.slice(0, 5).map((attempt) => attempt.failed), [true, true, true, true, false]);
  [20, 40, 80, 80].forEach((ceiling, index) => {
    const waited = tried[index + 1]! - tried[index]!;
    assert.ok(waited >= ceiling / 2 - 2, `retry ${index + 1} waited ${waited} ms, at least ${ceiling / 2}`);
  });
  // The failed batch was tried again as it was: the same checkpoint each time.
  assert.is(new Set(readModels.attempts.slice(0, 5).map((attempt) => attempt.position)).size, 1);

  const warnings = lines.filter((line) => line.level === 'warn');
  assert.is(warnings.length, 1, 'one warning per failure streak, not one per retry');
  assert.is(warnings[0]!.msg, 'read model commit failed, retrying until it succeeds');
  assert.is(warnings[0]!.reason, 'ENOSPC');
  const resumed = lines.filter((line) => line.msg === 'read model commits resumed');
  assert.is(resumed.length, 1);
  assert.is(resumed[0]!.failedCommits, 4);
  await runner.stop();
});

test('a live read model whose commits start failing lags, answers waiters false, and catches up once they succeed', async ({ eventStore }) => {
  await appendProducts(eventStore, 1, 2);
  const readModels = memoryReadModelStore();
  const { lines, logger } = capturedLogger();
  const runner = startProjection({ eventStore, readModels, logger, commitRetryDelays: { firstMs: 10, maxMs: 40 } }, counting);
  await waitUntil(() => runner.isCaughtUp());

  readModels.failCommits(6);
  await appendProducts(eventStore, 3, 5);
  const [last] = await eventStore.readStream('product-5', { direction: 'backwards', maxCount: 1 });
  assert.is(await runner.waitFor(last!.position, 5000), false, 'the write is not in the read model yet');
  assert.is(runner.isCaughtUp(), false);
  assert.is(runner.status().state, 'retrying');

  await waitUntil(() => runner.isCaughtUp(), 5000);
  assert.ok(await runner.waitFor(last!.position, 1000));
  const ids = await productEventIds(eventStore);
  assert.is(readModels.get('applied', 'total'), ids.length);
  for (const id of ids) assert.is(readModels.get('applied', id), 1, 'each event applied once');
  assert.is(lines.filter((line) => line.level === 'warn').length, 1);
  assert.is(lines.filter((line) => line.msg === 'read model commits resumed').length, 1);

  // A second streak is logged again, once.
  readModels.failCommits(2);
  await appendProducts(eventStore, 6, 6);
  await waitUntil(() => readModels.get('applied', 'total') === ids.length + 2, 5000);
  assert.is(lines.filter((line) => line.level === 'warn').length, 2);
  assert.is(lines.filter((line) => line.msg === 'read model commits resumed').length, 2);
  await runner.stop();
});

test('stop answers the waiters still waiting with false, never a rejection', async ({ eventStore }) => {
  const readModels = memoryReadModelStore();
  const runner = startProjection({ eventStore, readModels, logger: silentLogger }, counting);
  await waitUntil(() => runner.isCaughtUp());
  const waiting = runner.waitFor('ffffffffffffffffffff' as Position, 10_000);
  await runner.stop();
  assert.is(await waiting, false);
  assert.is(runner.status().state, 'stopped');
  assert.is(await runner.waitFor('ffffffffffffffffffff' as Position, 10_000), false);
});

test.run();
