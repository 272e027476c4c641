import { randomUUID } from 'node:crypto';
import { eventMetadata } from '../../src/app/commandHandler.ts';
import { productStream } from '../../src/domain/product/productStreams.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';

/**
 * A long history, written straight to the store so a rebuild has something to chew on: `products`
 * products (pks from `firstPk`, SKUs `SEED-<pk>`), each renamed `renames` times.
 */
export async function seedRenamedProducts(eventStore: EventStore, firstPk: number, products: number, renames: number): Promise<void> {
  const metadata = eventMetadata({ actor: 'seed', api: 'cli', correlationId: 'seed', causationId: 'seed' }, '2026-01-01T00:00:00.000000Z', 1);
  for (let pk = firstPk; pk < firstPk + products; pk++) {
    const events = [{ id: randomUUID(), type: 'ProductRegistered', data: { productPk: pk, sku: `SEED-${pk}`, name: 'name 0', mediaEnabled: true }, metadata }];
    for (let n = 1; n <= renames; n++) events.push({ id: randomUUID(), type: 'ProductRenamed', data: { productPk: pk, name: `name ${n}`, previousName: `name ${n - 1}` } as never, metadata });
    await eventStore.appendToStream(productStream(pk), events, { expectedRevision: 'no_stream' });
  }
}
