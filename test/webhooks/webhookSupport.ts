import { randomUUID } from 'node:crypto';
import type { EventStore, Position } from '../../src/ports/eventStore.ts';
import type { Received } from '../support/webhookReceiver.ts';

const metadata = () => ({ actor: 'script', api: 'cli', correlationId: randomUUID(), causationId: randomUUID(), occurredAt: '2024-01-01T00:00:00.000000Z', schemaVersion: 1 });

/** Delivery settings for tests: no SKUs, the real clock, a fixed jitter, one quick retry delay. */
export const QUICK_DELIVERY = {
  skuOf: () => undefined,
  now: () => Date.now(),
  random: () => 0.5,
  concurrency: 4,
  maxPending: 1000,
  retryDelaysMs: [10],
  retryHours: 72,
};

/** A fresh product pk per call (tests share one store). */
export const freshProductPk = () => 700_000 + Math.floor(Math.random() * 200_000);

/**
 * Appends `count` gallery events to product `productPk` (one append each, in order), of `type`
 * (default ImageReordered: order i+1); returns their ids and positions in commit order.
 */
export async function appendGalleryEvents(eventStore: EventStore, productPk: number, count: number, type = 'ImageReordered'): Promise<{ id: string; position: Position }[]> {
  const written: { id: string; position: Position }[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const data = type === 'ImageDeleted' ? { imagePk: i + 1 } : { imagePk: 1, order: i + 1, previousOrder: i };
    const result = await eventStore.appendToStream(`productMedia-${productPk}`, [{ id, type, data, metadata: metadata() }]);
    written.push({ id, position: result.position });
  }
  return written;
}

/** The received ids of one product, in arrival order. */
export const idsOf = (received: Received[], productPk: number) => received.filter((each) => each.body.product === productPk).map((each) => each.id);

/** Whether each product's deliveries arrived in stream revision order. */
export function inProductOrder(received: Received[]): boolean {
  const last = new Map<string, number>();
  for (const { body } of received) {
    if ((last.get(body.stream) ?? -1) >= body.revision) return false;
    last.set(body.stream, body.revision);
  }
  return true;
}
