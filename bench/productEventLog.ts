import { openLmdbEventStore } from '../src/adapters/lmdb/lmdbEventStore.ts';
import type { ProductEvent } from '../src/domain/product/productEvents.ts';
import { productStream } from '../src/domain/product/productStreams.ts';
import type { EventData } from '../src/ports/eventStore.ts';
import { benchId, benchMetadata } from './sampleEvents.ts';

/**
 * The product history of the 1M-event benchmarks: a third of the events register products, a
 * third rename them, the rest disable their media, so ~333k `product-<pk>` streams of three
 * events. Each pass runs over all products before the next starts, so the log interleaves streams
 * as real traffic does. Event `n` is the same wherever it is written (store or raw baseline).
 */

/** Events of the recorded results; `BENCH_EVENTS` shrinks it for a quick check. */
export const RECORDED_EVENT_COUNT = 1_000_000;

/** The event count of this run: `BENCH_EVENTS` or 1,000,000. */
export function benchEventCount(): number {
  const raw = process.env.BENCH_EVENTS;
  if (raw === undefined || raw === '') return RECORDED_EVENT_COUNT;
  const count = Number(raw);
  if (!Number.isSafeInteger(count) || count < 3) throw new Error(`BENCH_EVENTS must be an integer of at least 3, got "${raw}"`);
  return count;
}

export function productCount(events: number): number {
  return Math.ceil(events / 3);
}

/** Event `n` (0-based) of a log of `events` events, with the stream and revision it lands at. */
export interface ProductLogEntry {
  streamName: string;
  revision: number;
  event: EventData & ProductEvent;
}

export function productLogEntry(n: number, events: number): ProductLogEntry {
  const products = productCount(events);
  const revision = Math.floor(n / products);
  const productPk = (n % products) + 1;
  const id = benchId(0xe7, n);
  const metadata = benchMetadata(n);
  const name = `Desk lamp ${productPk}`;
  const streamName = productStream(productPk);
  switch (revision) {
    case 0:
      return {
        streamName,
        revision,
        event: { id, type: 'ProductRegistered', data: { productPk, sku: `SKU-${String(productPk).padStart(7, '0')}`, name, mediaEnabled: true }, metadata },
      };
    case 1:
      return {
        streamName,
        revision,
        event: { id, type: 'ProductRenamed', data: { productPk, name: `${name} (brass)`, previousName: name }, metadata },
      };
    default:
      return { streamName, revision, event: { id, type: 'ProductMediaDisabled', data: { productPk }, metadata } };
  }
}

/** Appends issued together: the store's group commit makes each chunk about one transaction. */
const POPULATE_CHUNK = 50_000;

/**
 * Writes the product log into the event store at `path` through `appendToStream`, with exact
 * expected revisions, many appends at a time. Not timed by the benchmarks.
 */
export async function populateEventStore(path: string, events: number): Promise<void> {
  const store = await openLmdbEventStore({ path });
  try {
    for (let from = 0; from < events; from += POPULATE_CHUNK) {
      const appends: Promise<unknown>[] = [];
      for (let n = from; n < Math.min(from + POPULATE_CHUNK, events); n++) {
        const { streamName, revision, event } = productLogEntry(n, events);
        appends.push(store.appendToStream(streamName, [event], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 }));
      }
      await Promise.all(appends);
    }
  } finally {
    await store.close();
  }
}
