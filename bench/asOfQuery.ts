import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openLmdbEventStore } from '../src/adapters/lmdb/lmdbEventStore.ts';
import { pastMedia } from '../src/app/history/pastMedia.ts';
import { upcastingEventStore } from '../src/app/upcastingEventStore.ts';
import type { GalleryEvent } from '../src/domain/gallery/galleryEvents.ts';
import { productMediaStream } from '../src/domain/gallery/galleryStream.ts';
import type { EventData, EventStore } from '../src/ports/eventStore.ts';
import { representImage } from '../src/http/rest/productImageRoutes.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { alternateRounds, elapsedMs, formatCount, formatRatio, median } from './measure.ts';
import { createProductDataset, type ProductDataset } from './productDataset.ts';
import { benchEventCount } from './productEventLog.ts';
import { benchId, benchMetadata, imageUploadedEvent } from './sampleEvents.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const ROUNDS = 7;
const QUERIES_PER_ROUND = 200;
/** The product whose past is asked for: far above the catalog's product pks. */
const HOT_PRODUCT_PK = 9_000_001;
const SMALL_CATALOG_EVENTS = 10_000;

/** Events of the hot product's gallery; `BENCH_AS_OF_PRODUCT_EVENTS` changes it (default 1,000). */
function productEventCount(): number {
  const raw = process.env.BENCH_AS_OF_PRODUCT_EVENTS;
  return raw === undefined || raw === '' ? 1_000 : Number(raw);
}

/**
 * `?as_of=` on a product with 1,000 events: the past gallery of that product (folded from its own
 * stream and represented as the REST list does) in a catalog of `BENCH_EVENTS` (1,000,000)
 * events, against the same query in a catalog of 10,000 events. Target: within 2×, i.e. the
 * cost grows with the product's events and not with the catalog.
 * Pass the 1M dataset of `bench/run.ts` to reuse it (the hot product's events are appended to it).
 */
export async function asOfQuery(dataset?: ProductDataset): Promise<BenchmarkResult> {
  if (dataset === undefined) {
    return withTempDir('bench-as-of-data-', async (dir) => asOfQuery(await createProductDataset(dir, benchEventCount())));
  }
  const productEvents = productEventCount();
  return withTempDir('bench-as-of-', async (dir) => {
    const small = await createProductDataset(join(dir, 'small'), Math.min(SMALL_CATALOG_EVENTS, dataset.events));
    const stores = await Promise.all([small.eventsPath, dataset.eventsPath].map((path) => openLmdbEventStore({ path })));
    try {
      const [smallStore, largeStore] = stores.map((store) => upcastingEventStore(store)) as [EventStore, EventStore];
      progress('asOfQuery', `appending ${formatCount(productEvents)} gallery events of product ${HOT_PRODUCT_PK} to both catalogs`);
      const asOf = await appendHotProduct(smallStore, productEvents);
      await appendHotProduct(largeStore, productEvents);
      const query = (store: EventStore) => {
        const past = pastMedia(store);
        return async () => {
          const start = performance.now();
          for (let i = 0; i < QUERIES_PER_ROUND; i++) {
            const list = await past.listImages({ productPk: HOT_PRODUCT_PK }, { asOf }, { offset: 0, limit: 1000 });
            JSON.stringify(list.items.map((view) => representImage(view, (key) => `https://cdn.example.com/media/${key}`)));
          }
          return elapsedMs(start) / QUERIES_PER_ROUND;
        };
      };
      await query(smallStore)();
      await query(largeStore)();
      const results = await alternateRounds(ROUNDS, { baseline: query(smallStore), subject: query(largeStore) }, ({ baseline, subject }, index) =>
        progress('asOfQuery', `round ${index + 1}/${ROUNDS}: ${baseline.toFixed(2)} ms vs ${subject.toFixed(2)} ms, ${formatRatio(subject / baseline)}`),
      );
      const ratios = results.map(({ baseline, subject }) => subject / baseline);
      const ms = (value: number) => `${value.toFixed(2)} ms/query`;
      return {
        name: `as_of on a product with ${formatCount(productEvents)} events, catalog of ${formatCount(dataset.events)} events`,
        baselineLabel: `past image list of the product (as_of = the middle of its history), catalog of ${formatCount(small.events)} events`,
        subjectLabel: `the same query, catalog of ${formatCount(dataset.events)} events`,
        baseline: ms(median(results.map((round) => round.baseline))),
        subject: ms(median(results.map((round) => round.subject))),
        ratio: median(ratios),
        ratioMeaning: 'subject cost ÷ baseline cost per query, median of the per-round ratios (lower is better)',
        target: { comparison: '<=', value: 2 },
        details: [
          `in-process, LMDB event store through the upcasting reader: \`pastMedia().listImages({product}, {asOf})\` reads the product's own stream \`productMedia-<pk>\`, folds it with the gallery projection in memory and represents the live images as the REST list does (JSON text included); ${QUERIES_PER_ROUND} queries per round, ${ROUNDS} alternating rounds after a warm-up`,
          `the hot product: 100 ImageUploaded then reorders, label changes and main-image moves up to ${formatCount(productEvents)} events, appended after the catalog's product events`,
          `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
        ],
      };
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
}

/** Writes the hot product's gallery history; answers the occurredAt of its middle event (the as_of asked). */
async function appendHotProduct(store: EventStore, count: number): Promise<string> {
  const events: EventData[] = [];
  const uploads = Math.min(100, count);
  for (let n = 0; n < count; n++) {
    const imagePk = 5_000_000 + (n % uploads);
    const metadata = benchMetadata(n);
    if (n < uploads) {
      events.push({ ...imageUploadedEvent(HOT_PRODUCT_PK, imagePk, benchId(0xa5, n)), metadata });
      (events[n]!.data as { roles: string[] }).roles = [];
      continue;
    }
    const kind = n % 3;
    const data: GalleryEvent =
      kind === 0
        ? { type: 'ImageReordered', data: { imagePk, order: n, previousOrder: n - uploads } }
        : kind === 1
          ? { type: 'ImageLabelChanged', data: { imagePk, label: `label ${n}`, previousLabel: '' } }
          : { type: 'MainImageSet', data: { imagePk, previousImagePk: null } };
    events.push({ id: benchId(0xa5, n), type: data.type, data: data.data, metadata });
  }
  for (let from = 0; from < events.length; from += 500) {
    await store.appendToStream(productMediaStream(HOT_PRODUCT_PK), events.slice(from, from + 500));
  }
  return (events[Math.floor(count / 2)]!.metadata as { occurredAt: string }).occurredAt;
}

if (isEntryPoint(import.meta.url)) runStandalone(() => asOfQuery());
