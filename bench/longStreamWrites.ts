import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openEsdbEventStore } from '../src/adapters/esdb/esdbEventStore.ts';
import { openLmdbEventStore } from '../src/adapters/lmdb/lmdbEventStore.ts';
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/logging/logger.ts';
import type { EventStore } from '../src/ports/eventStore.ts';
import { startService, type RunningService } from '../src/service.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { seedGallery, type SeededGallery } from './galleryHistory.ts';
import { alternateRounds, elapsedMs, formatCount, formatRatio, median } from './measure.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';
import { startStandInProcess } from './standInProcess.ts';

const SHORT_EVENTS = 100;
const LONG_EVENTS = 10_000;
const ROUNDS = 40;
const PATCHES_PER_ROUND = 8;
const WARMUP_PATCHES = 30;
/** Rounds of the comparison with the cache turned off (AGGREGATE_CACHE_BYTES=0), and their PATCHes per side (full reads of 10,000 events over gRPC take seconds on the stand-in). */
const CACHE_OFF_ROUNDS = 4;
const CACHE_OFF_PATCHES: Record<Engine, number> = { lmdb: 20, esdb: 5 };
const LONG_PK = 700_001;
const FIRST_SHORT_PK = 700_101;
const TOKEN = 'bench-key-0123456789abcdef';

type Engine = 'lmdb' | 'esdb';
const ENGINE_NAMES: Record<Engine, string> = { lmdb: 'LMDB', esdb: 'EventStoreDB stand-in' };
const TARGETS: Record<Engine, number> = { lmdb: 1.2, esdb: 1.5 };

/**
 * Issue 19, item 2: a write's cost does not grow with the product's history. Median latency of
 * `PATCH /api/v1/product_image/<pk>/` on a product whose gallery stream holds 10,000 events
 * against the same on a stream of 100 events, in the same run: ≤ 1.2× on LMDB, ≤ 1.5× on the
 * EventStoreDB stand-in.
 */
export async function longStreamWrites(): Promise<BenchmarkResult[]> {
  return [await onEngine('lmdb'), await onEngine('esdb')];
}

async function onEngine(engine: Engine): Promise<BenchmarkResult> {
  const label = `longStreamWrites/${engine}`;
  const standIn = engine === 'esdb' ? await startStandInProcess() : undefined;
  try {
    return await withTempDir('bench-long-stream-', async (dataDir) => {
      const env = { DATA_DIR: dataDir, ...(standIn ? { EVENTSTORE_URL: standIn.connectionString } : {}) };
      progress(label, `seeding a ${formatCount(LONG_EVENTS)}-event gallery and ${shortProducts()} of ${SHORT_EVENTS} events`);
      const { long, shorts } = await seed(engine === 'esdb' ? await openEsdbEventStore({ connectionString: standIn!.connectionString }) : await openLmdbEventStore({ path: join(dataDir, 'events') }));
      // Each round's short side is a fresh product, written once unmeasured (its first command
      // after the start reads the whole stream, as the long product's did in the warm-up).
      const freshShort = async (client: PatchClient) => {
        const gallery = shorts.shift() ?? failure('out of short products');
        await client.patch(gallery);
        return gallery;
      };

      const cached = await withService(env, async (client) => {
        const coldMs = await client.patch(long);
        await client.patches(long, WARMUP_PATCHES);
        await client.patches(await freshShort(client), WARMUP_PATCHES);
        const rounds = await alternateRounds(
          ROUNDS,
          { baseline: async () => client.patches(await freshShort(client), PATCHES_PER_ROUND), subject: () => client.patches(long, PATCHES_PER_ROUND) },
          ({ baseline, subject }, index) => progress(label, `round ${index + 1}/${ROUNDS}: ${ms(baseline)} vs ${ms(subject)}, ${formatRatio(subject / baseline)}`),
        );
        return { coldMs, rounds };
      });
      const uncached = await withService({ ...env, AGGREGATE_CACHE_BYTES: '0' }, async (client) => {
        await client.patches(long, 2);
        await client.patches(await freshShort(client), 2);
        const patches = CACHE_OFF_PATCHES[engine];
        return alternateRounds(
          CACHE_OFF_ROUNDS,
          { baseline: async () => client.patches(await freshShort(client), patches), subject: () => client.patches(long, patches) },
          ({ baseline, subject }, index) => progress(label, `cache off, round ${index + 1}/${CACHE_OFF_ROUNDS}: ${ms(baseline)} vs ${ms(subject)}`),
        );
      });

      const ratios = cached.rounds.map(({ baseline, subject }) => subject / baseline);
      const offRatios = uncached.map(({ baseline, subject }) => subject / baseline);
      const side = (rounds: typeof uncached, which: 'baseline' | 'subject') => median(rounds.map((round) => round[which]));
      const where =
        engine === 'lmdb'
          ? 'in-process service (`startService`, the LMDB event store under a temp DATA_DIR, files, LOG_LEVEL silent)'
          : 'in-process service on `EVENTSTORE_URL` = the in-process gRPC stand-in of the tests (test/support/esdbStandIn) run in a child process, advertising BatchAppend; no real EventStoreDB can run here, so the absolute times are the stand-in\'s';
      return {
        name: `PATCH of an image on a ${formatCount(LONG_EVENTS)}-event gallery stream, ${ENGINE_NAMES[engine]}`,
        baselineLabel: `median latency of \`PATCH /api/v1/product_image/<pk>/\` \`{"order": n}\` on a product whose gallery stream holds ${SHORT_EVENTS} events`,
        subjectLabel: `the same on a product whose gallery stream holds ${formatCount(LONG_EVENTS)} events`,
        baseline: ms(side(cached.rounds, 'baseline')),
        subject: ms(side(cached.rounds, 'subject')),
        ratio: median(ratios),
        ratioMeaning: 'subject median ÷ baseline median per round, median of the per-round ratios (lower is better)',
        target: { comparison: '<=', value: TARGETS[engine] },
        details: [
          `${where}; sequential PATCHes over one keep-alive connection from the same process, each with a new order (so each appends one ImageReordered) and answered 200 after read-your-writes`,
          `seeded before the start through the event store: per product a SKU claim, a registration and a gallery of 5 ImageUploaded then ImageReordered of one image after another (an ERP re-syncing positions), valid for the decider`,
          `${ROUNDS} alternating rounds of ${PATCHES_PER_ROUND} PATCHes per side after ${WARMUP_PATCHES} each for warm-up; every round's ${SHORT_EVENTS}-event side is a fresh product, PATCHed once unmeasured (${SHORT_EVENTS + 1}–${SHORT_EVENTS + 1 + PATCHES_PER_ROUND} events while measured), the long product grows from ${formatCount(LONG_EVENTS + 1 + WARMUP_PATCHES)} to ${formatCount(LONG_EVENTS + 1 + WARMUP_PATCHES + ROUNDS * PATCHES_PER_ROUND)} events`,
          `the first PATCH of the ${formatCount(LONG_EVENTS)}-event product after the start (nothing cached: one full read): ${ms(cached.coldMs)}`,
          `with the cache off (AGGREGATE_CACHE_BYTES=0; a full read and fold per command, as before issue 19), same data, ${CACHE_OFF_ROUNDS} rounds of ${CACHE_OFF_PATCHES[engine]} PATCHes per side: ${SHORT_EVENTS}-event ${ms(side(uncached, 'baseline'))}, ${formatCount(LONG_EVENTS)}-event ${ms(side(uncached, 'subject'))}, ratio ${formatRatio(median(offRatios))}`,
          `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
        ],
      };
    });
  } finally {
    await standIn?.stop();
  }
}

const shortProducts = () => 2 + ROUNDS + CACHE_OFF_ROUNDS;

async function seed(store: EventStore): Promise<{ long: SeededGallery; shorts: SeededGallery[] }> {
  try {
    const long = await seedGallery(store, LONG_PK, LONG_EVENTS);
    const shorts: SeededGallery[] = [];
    for (let index = 0; index < shortProducts(); index++) shorts.push(await seedGallery(store, FIRST_SHORT_PK + index, SHORT_EVENTS));
    return { long, shorts };
  } finally {
    await store.close();
  }
}

interface PatchClient {
  /** One PATCH of the gallery's image to a new order; answers its latency in ms. */
  patch(gallery: SeededGallery): Promise<number>;
  /** `count` PATCHes one after another; answers their median latency. */
  patches(gallery: SeededGallery, count: number): Promise<number>;
}

/** Starts the service on `env`, runs `body` against it, stops it. */
async function withService<T>(env: Record<string, string>, body: (client: PatchClient) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...env, PORT: '1', API_USERS: `bench:${TOKEN}`, LOG_LEVEL: 'silent' });
  const service = await startService({ config: { ...config, port: 0, host: '127.0.0.1' }, users: config.apiUsers!, logger: silentLogger });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    while (!service.projections.isReady()) await new Promise((resolve) => setTimeout(resolve, 10));
    const patch = async (gallery: SeededGallery) => {
      gallery.order += 1;
      gallery.events += 1;
      const start = performance.now();
      await patchOrder(service, agent, gallery.imagePk, gallery.order);
      return elapsedMs(start);
    };
    return await body({
      patch,
      async patches(gallery, count) {
        const latencies: number[] = [];
        for (let n = 0; n < count; n++) latencies.push(await patch(gallery));
        return median(latencies);
      },
    });
  } finally {
    agent.destroy();
    await service.close();
  }
}

function patchOrder(service: RunningService, agent: Agent, imagePk: number, order: number): Promise<void> {
  const body = JSON.stringify({ order });
  const url = new URL(`/api/v1/product_image/${imagePk}/`, service.url);
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'PATCH', agent, headers: { authorization: `Token ${TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        if (response.statusCode === 200) resolve();
        else reject(new Error(`PATCH of image ${imagePk} answered ${response.statusCode}: ${text}`));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

function failure(message: string): never {
  throw new Error(message);
}

if (isEntryPoint(import.meta.url)) runStandalone(longStreamWrites);
