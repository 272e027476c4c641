import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openLmdbEventStore } from '../src/adapters/lmdb/lmdbEventStore.ts';
import { eventMetadata } from '../src/app/commandHandler.ts';
import { productStream } from '../src/domain/product/productStreams.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { runHttpLoad, type HttpLoadResult } from './httpLoad.ts';
import { LISTED_IMAGES, seedListedProduct } from './imageListThroughput.ts';
import { alternateRounds, formatCount, formatRate, formatRatio, median } from './measure.ts';
import { BENCH_AUTHORIZATION, startServiceChild, type ChildServer } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const CONNECTIONS = 20;
const ROUND_SECONDS = 4;
const ROUNDS = 4;
/** Events in the log the rebuild replays (BENCH_REBUILD_EVENTS; default 400,000: about as long as a round on 2 busy cores, so the subject measures a rebuild under way). */
const REBUILD_EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 400_000);
const RENAMES_PER_PRODUCT = 999;

/** Products renamed many times, written straight to the embedded log before the service starts. */
async function seedLog(dataDir: string, events: number): Promise<void> {
  const store = await openLmdbEventStore({ path: join(dataDir, 'events') });
  const metadata = eventMetadata({ actor: 'bench', api: 'cli', correlationId: 'bench', causationId: 'bench' }, '2026-01-01T00:00:00.000000Z', 1);
  try {
    for (let pk = 1_000_001; pk <= 1_000_000 + Math.ceil(events / (RENAMES_PER_PRODUCT + 1)); pk++) {
      const batch = [{ id: randomUUID(), type: 'ProductRegistered', data: { productPk: pk, sku: `REBUILD-${pk}`, name: 'name 0', mediaEnabled: true } as Record<string, unknown>, metadata }];
      for (let n = 1; n <= RENAMES_PER_PRODUCT; n++) batch.push({ id: randomUUID(), type: 'ProductRenamed', data: { productPk: pk, name: `name ${n}`, previousName: `name ${n - 1}` }, metadata });
      await store.appendToStream(productStream(pk), batch, { expectedRevision: 'no_stream' });
    }
  } finally {
    await store.close();
  }
}

/** Asks the service to rebuild; resolves with the rebuild's seconds once it switched. */
async function rebuild(service: ChildServer): Promise<() => Promise<number>> {
  const headers = { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' };
  const posted = await fetch(`${service.url}/api/v1/read_model_rebuilds/`, { method: 'POST', headers, body: '{}' });
  if (posted.status !== 202) throw new Error(`the rebuild request answered ${posted.status}: ${await posted.text()}`);
  const { id } = (await posted.json()) as { id: string };
  return async () => {
    for (;;) {
      const status = (await (await fetch(`${service.url}/api/v1/read_model_rebuilds/${id}/`, { headers })).json()) as { instances: Array<{ state: string; finished_date: string | null; started_date: string }> };
      const instance = status.instances[0];
      if (instance?.state === 'failed') throw new Error('the rebuild failed');
      if (instance?.state === 'switched') return (Date.parse(instance.finished_date!) - Date.parse(instance.started_date)) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
}

/**
 * Issue 21: no downtime while a running instance rebuilds its read models. The image list (the
 * hottest read) under the same load, idle (baseline) and while the instance rebuilds every read
 * model of a log of REBUILD_EVENTS events beside the served ones (subject: the rebuild is asked
 * for as the round starts). Any non-2xx answer fails the benchmark. Both sides share the 2 cores,
 * so the ratio is the price of rebuilding while serving. Target ≥ 0.5×.
 */
export async function listDuringRebuild(): Promise<BenchmarkResult> {
  return withTempDir('bench-live-rebuild-', async (dir) => {
    progress('listDuringRebuild', `seeding ${formatCount(REBUILD_EVENTS)} events`);
    await seedLog(join(dir, 'data'), REBUILD_EVENTS);
    const service = await startServiceChild(join(dir, 'data'), join(dir, 'service.log'));
    try {
      progress('listDuringRebuild', 'seeding the listed product');
      const url = `${service.url}/api/v1/product_image/?product=${await seedListedProduct(service, 'BENCH-REBUILD')}&limit=100`;
      const load = (seconds: number) => runHttpLoad({ url, connections: CONNECTIONS, durationSeconds: seconds, headers: { authorization: BENCH_AUTHORIZATION }, method: 'GET' });
      const rebuildSeconds: number[] = [];
      const sides = (seconds: number) => ({
        baseline: () => load(seconds),
        subject: async () => {
          const switched = await rebuild(service);
          const result = await load(seconds);
          rebuildSeconds.push(await switched());
          return result;
        },
      });
      const describe = (result: HttpLoadResult) => `${formatRate(result.requestsPerSecond, 'req')} p99 ${result.p99Ms.toFixed(1)} ms`;
      progress('listDuringRebuild', 'warm-up');
      await alternateRounds(1, sides(2));
      rebuildSeconds.length = 0;
      const rounds = await alternateRounds(ROUNDS, sides(ROUND_SECONDS), ({ baseline, subject }, index) =>
        progress('listDuringRebuild', `round ${index + 1}/${ROUNDS}: idle ${describe(baseline)}, rebuilding ${describe(subject)} (rebuild ${rebuildSeconds.at(-1)} s), ${formatRatio(subject.requestsPerSecond / baseline.requestsPerSecond)}`),
      );
      const ratios = rounds.map(({ baseline, subject }) => subject.requestsPerSecond / baseline.requestsPerSecond);
      return {
        name: `Image list while the instance rebuilds its read models (${formatCount(REBUILD_EVENTS)} events), ${LISTED_IMAGES} images, ${CONNECTIONS} connections`,
        baselineLabel: 'the same service, idle',
        subjectLabel: 'during a rebuild of every read model beside the served ones (POST /api/v1/read_model_rebuilds/ as the round starts)',
        baseline: `${formatRate(median(rounds.map((round) => round.baseline.requestsPerSecond)), 'req')}, p99 ${median(rounds.map((round) => round.baseline.p99Ms)).toFixed(1)} ms`,
        subject: `${formatRate(median(rounds.map((round) => round.subject.requestsPerSecond)), 'req')}, p99 ${median(rounds.map((round) => round.subject.p99Ms)).toFixed(1)} ms`,
        ratio: median(ratios),
        ratioMeaning: 'subject requests/s ÷ baseline requests/s, median of the per-round ratios (higher is better); no request failed',
        target: { comparison: '>=', value: 0.5 },
        details: [
          `single instance on LMDB, one service child; autocannon ${CONNECTIONS} connections, ${ROUNDS} alternating ${ROUND_SECONDS} s rounds after a 2 s warm-up of each side`,
          `rebuild to switch, per round: ${rebuildSeconds.map((seconds) => `${seconds} s`).join(', ')} (a rebuild longer than the round ran on after it; each round waits for its switch)`,
          `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
        ],
      };
    } finally {
      await service.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(listDuringRebuild);
