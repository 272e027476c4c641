import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PRODUCTS_TABLE, productsProjection, type ProductView } from '../../projections/products.ts';
import { openEsdbEventStore, type EsdbEventStore } from '../../src/adapters/esdb/esdbEventStore.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import { UnavailableError } from '../../src/errors/appError.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { comparePositions, type EventData, type Position, type RecordedEvent } from '../../src/ports/eventStore.ts';
import type { Projection } from '../../src/ports/readModelStore.ts';
import { startProjection } from '../../src/projections/projectionRunner.ts';
import { startEsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { waitUntil } from '../support/testService.ts';

const DOWNTIME_MS = 300;
const RESEND_AFTER_MS = 25;

const metadata = (pk: number) => ({
  actor: 'erp',
  api: 'rest',
  correlationId: randomUUID(),
  causationId: randomUUID(),
  occurredAt: `2024-05-25T10:00:${String(pk % 60).padStart(2, '0')}.000000Z`,
  schemaVersion: 1,
});

/**
 * Appends as the command handler does: on UnavailableError the same append (same event ids, same
 * expected revision) is sent again until it lands; the server recognises one that already had.
 */
async function appendLikeTheCommandHandler(store: EsdbEventStore, stream: string, events: EventData[]): Promise<Position> {
  for (;;) {
    try {
      return (await store.appendToStream(stream, events, { expectedRevision: 'no_stream' })).position;
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, RESEND_AFTER_MS));
    }
  }
}

/** Registers and renames product `pk`, then claims its SKU (a stream the products projection does not read). */
async function appendProduct(store: EsdbEventStore, pk: number): Promise<Position> {
  const position = await appendLikeTheCommandHandler(store, `product-${pk}`, [
    { id: randomUUID(), type: 'ProductRegistered', data: { productPk: pk, sku: `S${pk}`, name: `n${pk}`, mediaEnabled: true }, metadata: metadata(pk) },
    { id: randomUUID(), type: 'ProductRenamed', data: { productPk: pk, name: `m${pk}`, previousName: `n${pk}` }, metadata: metadata(pk) },
  ]);
  await appendLikeTheCommandHandler(store, `productSku-S${pk}`, [
    { id: randomUUID(), type: 'SkuClaimed', data: { sku: `S${pk}`, productPk: pk }, metadata: metadata(pk) },
  ]);
  return position;
}

for (const mode of [
  { name: 'BatchAppend advertised', batchAppend: true },
  { name: 'unary Append only', batchAppend: false },
]) {
  const test = suite(`esdb subscription resilience, ${mode.name}`);

  test('the projection runner applies every event once and in order across a server restart', async () => {
    const esdb = await startEsdbStandIn({ batchAppend: mode.batchAppend });
    const dir = await mkdtemp(join(tmpdir(), 'esdb-resilience-'));
    const store = await openEsdbEventStore({ connectionString: esdb.connectionString });
    const readModels = openLmdbReadModelStore({ path: join(dir, 'readmodels') });
    const applied: RecordedEvent[] = [];
    const spied: Projection = { ...productsProjection, apply: (tx, event) => (applied.push(event), productsProjection.apply(tx, event)) };
    const runner = startProjection({ eventStore: store, readModels, logger: silentLogger }, spied);
    try {
      // 1. History and live events before the outage.
      for (let pk = 1; pk <= 10; pk++) await appendProduct(store, pk);
      await waitUntil(() => runner.isCaughtUp());
      let last: Position | undefined;

      // 2. The server goes down while a writer is mid-way and the subscription is live.
      let written = 10;
      const writer = (async () => {
        for (let pk = 11; pk <= 40; pk++) {
          last = await appendProduct(store, pk);
          written = pk;
        }
      })();
      await waitUntil(() => written >= 15);
      await esdb.stop();
      await new Promise((resolve) => setTimeout(resolve, DOWNTIME_MS));
      const appliedWhileDown = applied.length;
      assert.ok(written < 40, 'the writer was held up by the outage');
      assert.not.ok(runner.isCaughtUp(), 'not caught up while the subscription is down (/ready answers 503)');
      assert.not.ok(store.isConnected());

      // 3. Back on the same port: the writer's re-sent appends land, the runner resubscribes.
      await esdb.restart();
      await writer;
      for (let pk = 41; pk <= 50; pk++) last = await appendProduct(store, pk);
      assert.ok(await runner.waitFor(last!, 10_000), 'the runner reached the last event');
      await waitUntil(() => runner.isCaughtUp());
      assert.ok(store.isConnected());

      const log = (await store.readAll()).filter((event) => event.streamName.startsWith('product-'));
      assert.is(log.length, 100, 'every product event is in the log once');
      assert.equal(
        applied.map((event) => event.id),
        log.map((event) => event.id),
        'apply saw each event exactly once, in log order',
      );
      assert.ok(applied.every((event, index) => index === 0 || comparePositions(applied[index - 1]!.position, event.position) < 0));
      assert.ok(appliedWhileDown < applied.length, 'events were applied after the restart');
      for (let pk = 1; pk <= 50; pk++) {
        const view = readModels.get<ProductView>(PRODUCTS_TABLE, pk);
        assert.equal(view && { sku: view.sku, name: view.name, revision: view.revision }, { sku: `S${pk}`, name: `m${pk}`, revision: 1 });
      }
      assert.is(readModels.count(PRODUCTS_TABLE), 50);
      // At or past the last product event: a checkpoint may have carried it over the SKU events.
      assert.ok(comparePositions(readModels.checkpoint(productsProjection.name)?.position, last) >= 0);
    } finally {
      await runner.stop();
      await store.close();
      await readModels.close();
      await esdb.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test.run();
}
