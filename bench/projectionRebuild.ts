import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { open, type Database } from 'lmdb';
import { PRODUCTS_TABLE, productsProjection } from '../projections/products.ts';
import { openLmdbEventStore } from '../src/adapters/lmdb/lmdbEventStore.ts';
import { openLmdbReadModelStore } from '../src/adapters/lmdb/lmdbReadModelStore.ts';
import { createLogger } from '../src/logging/logger.ts';
import type { EventStore } from '../src/ports/eventStore.ts';
import { startProjection } from '../src/projections/projectionRunner.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { alternateRounds, elapsedMs, formatCount, formatMs, formatRatio, formatRate, median } from './measure.ts';
import { createProductDataset, type ProductDataset } from './productDataset.ts';
import { benchEventCount, productCount, productLogEntry } from './productEventLog.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const ROUNDS = 5;
/** Events of the small logs both sides replay once before measuring (JIT, caches). */
const WARMUP_EVENTS = 60_000;
const REBUILD_TIMEOUT_MS = 10 * 60_000;
/** `created` of every baseline event: what the store's clock writes, in the same format. */
const CREATED = '2024-05-25T10:00:00.000Z';
const RAW_POPULATE_CHUNK = 50_000;

interface Run {
  ms: number;
  perSecond: number;
}

/**
 * Target 3: a full projection rebuild of the product log runs at least half as fast as a raw
 * LMDB scan that `JSON.parse`s the same events.
 * - subject: the real runner (`startProjection` + `productsProjection` over
 *   `openLmdbReadModelStore`) from an empty read-model dir until `isCaughtUp()`;
 * - baseline: the same events as JSON strings in a raw LMDB db keyed by sequence number, timed
 *   `for (const { value } of db.getRange()) JSON.parse(value)`.
 * Pass a dataset to reuse an event store populated already (`bench/run.ts` shares it).
 */
export async function projectionRebuild(dataset?: ProductDataset): Promise<BenchmarkResult> {
  if (dataset === undefined) {
    return withTempDir('bench-rebuild-data-', async (dir) => projectionRebuild(await createProductDataset(dir, benchEventCount())));
  }
  const { events } = dataset;
  return withTempDir('bench-rebuild-', async (dir) => {
    await warmUp(join(dir, 'warmup'));

    progress('projectionRebuild', `writing the ${formatCount(events)} events as JSON into a raw LMDB db (baseline)`);
    const raw = openRawLog(join(dir, 'raw'));
    const store = await openLmdbEventStore({ path: dataset.eventsPath });
    try {
      const rawBytes = populateRawLog(raw, events);
      // Both files were just written, not read: one pass over each maps their pages first.
      progress('projectionRebuild', 'one untimed pass over each side\'s data');
      scanRawLog(raw, events);
      await readProductEvents(store, events);
      let rebuilds = 0;
      const results = await alternateRounds(
        ROUNDS,
        {
          baseline: async () => scanRawLog(raw, events),
          subject: () => rebuildProducts(store, join(dir, `readmodels-${++rebuilds}`), events),
        },
        ({ baseline, subject }, index) =>
          progress(
            'projectionRebuild',
            `round ${index + 1}/${ROUNDS}: raw scan ${formatRate(baseline.perSecond, 'events')} (${formatMs(baseline.ms)}), rebuild ${formatRate(subject.perSecond, 'events')} (${formatMs(subject.ms)}), ${formatRatio(subject.perSecond / baseline.perSecond)}`,
          ),
      );
      const ratios = results.map(({ baseline, subject }) => subject.perSecond / baseline.perSecond);
      const medianOf = (side: 'baseline' | 'subject') => median(results.map((round) => round[side].perSecond));
      const medianMs = (side: 'baseline' | 'subject') => median(results.map((round) => round[side].ms));
      return {
        name: `Projection rebuild, ${formatCount(events)} events`,
        baselineLabel: `raw LMDB db (\`encoding: 'string'\`, key = sequence number) holding each event as the JSON of \`{ streamName, revision, id, type, data, metadata, created }\` (${Math.round(rawBytes / events)} bytes on average), timed \`for (const { value } of db.getRange()) JSON.parse(value)\``,
        subjectLabel: `\`openLmdbReadModelStore\` on an empty dir + \`startProjection(productsProjection)\` over the LMDB event store, timed from opening the read-model store until \`isCaughtUp()\` first returns true; afterwards the products table is counted in LMDB (${formatCount(productCount(events))} rows expected)`,
        baseline: `${formatRate(medianOf('baseline'), 'events')} (${formatMs(medianMs('baseline'))})`,
        subject: `${formatRate(medianOf('subject'), 'events')} (${formatMs(medianMs('subject'))})`,
        ratio: median(ratios),
        ratioMeaning: 'subject events/s ÷ baseline events/s, median of the per-round ratios',
        target: { comparison: '>=', value: 0.5 },
        details: [
          `the log: ${formatCount(productCount(events))} \`product-<pk>\` streams (ProductRegistered, then ProductRenamed, then ProductMediaDisabled, one pass over all products after another), metadata {actor, api, correlationId, causationId, occurredAt, schemaVersion}; appended through \`appendToStream\` beforehand (not timed)`,
          `${ROUNDS} alternating rounds, each rebuild into a fresh read-model dir; before them both sides replayed a ${formatCount(WARMUP_EVENTS)}-event log (warm code) and read their whole ${formatCount(events)}-event data once (warm page cache and mappings); the event store and the raw db stay open across rounds`,
          `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
        ],
      };
    } finally {
      await store.close();
      await raw.close();
    }
  });
}

/** Replays a small product log once on each side, so that neither measures cold code. */
async function warmUp(dir: string): Promise<void> {
  progress('projectionRebuild', `warming up on ${formatCount(WARMUP_EVENTS)} events`);
  const dataset = await createProductDataset(dir, WARMUP_EVENTS);
  const raw = openRawLog(join(dir, 'raw'));
  const store = await openLmdbEventStore({ path: dataset.eventsPath });
  try {
    populateRawLog(raw, WARMUP_EVENTS);
    scanRawLog(raw, WARMUP_EVENTS);
    await rebuildProducts(store, join(dir, 'readmodels'), WARMUP_EVENTS);
  } finally {
    await store.close();
    await raw.close();
  }
}

/** Reads the product events through a filtered `$all` subscription, as the runner does, applying nothing. */
function readProductEvents(eventStore: EventStore, events: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let done = false;
    const subscription = eventStore.subscribeToAll({ filter: { streamNamePrefixes: [...productsProjection.streamNamePrefixes] } }).subscribe({
      next: (message) => {
        if (message.kind === 'event') seen += 1;
        if (message.kind !== 'caughtUp' || done) return;
        done = true;
        // The first message comes on a later turn, so `subscription` is assigned by now.
        subscription.unsubscribe();
        if (seen === events) resolve();
        else reject(new Error(`the event store holds ${seen} product events, expected ${events}`));
      },
      error: reject,
    });
  });
}

function openRawLog(path: string): Database<string, number> {
  return open<string, number>({ path, encoding: 'string', overlappingSync: false });
}

/** Writes event `n` at key `n + 1` as JSON; returns the bytes written. */
function populateRawLog(raw: Database<string, number>, events: number): number {
  let bytes = 0;
  for (let from = 0; from < events; from += RAW_POPULATE_CHUNK) {
    raw.transactionSync(() => {
      for (let n = from; n < Math.min(from + RAW_POPULATE_CHUNK, events); n++) {
        const { streamName, revision, event } = productLogEntry(n, events);
        const json = JSON.stringify({ streamName, revision, id: event.id, type: event.type, data: event.data, metadata: event.metadata, created: CREATED });
        bytes += Buffer.byteLength(json);
        raw.putSync(n + 1, json);
      }
    });
  }
  return bytes;
}

function scanRawLog(raw: Database<string, number>, events: number): Run {
  let scanned = 0;
  const start = performance.now();
  for (const { value } of raw.getRange()) {
    JSON.parse(value);
    scanned += 1;
  }
  const ms = elapsedMs(start);
  if (scanned !== events) throw new Error(`raw scan saw ${scanned} events, expected ${events}`);
  return { ms, perSecond: (events * 1000) / ms };
}

/** One full rebuild of the products read model into an empty dir, which is removed afterwards. */
async function rebuildProducts(eventStore: EventStore, path: string, events: number): Promise<Run> {
  // Warnings and errors of the runner (a failed projection) go to stderr.
  const logger = createLogger({ level: 'warn', write: (line) => process.stderr.write(line) });
  const start = performance.now();
  const readModels = openLmdbReadModelStore({ path });
  const runner = startProjection({ eventStore, readModels, logger }, productsProjection);
  try {
    while (!runner.isCaughtUp()) {
      if (elapsedMs(start) > REBUILD_TIMEOUT_MS) throw new Error(`the rebuild did not catch up in ${REBUILD_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const ms = elapsedMs(start);
    const products = readModels.count(PRODUCTS_TABLE);
    if (products !== productCount(events)) throw new Error(`the rebuild holds ${products} products, expected ${productCount(events)}`);
    return { ms, perSecond: (events * 1000) / ms };
  } finally {
    await runner.stop();
    await readModels.close();
    await rm(path, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) runStandalone(() => projectionRebuild());
