import { join } from 'node:path';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { runHttpLoad, type HttpLoadResult } from './httpLoad.ts';
import { LISTED_IMAGES, seedListedProduct } from './imageListThroughput.ts';
import { alternateRounds, formatRate, formatRatio, median } from './measure.ts';
import { BENCH_AUTHORIZATION, startServiceChild } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const CONNECTIONS = 20;
const ROUND_SECONDS = 5;
const ROUNDS = 6;

/**
 * Issue 21: what the instruments cost the hottest read. The same image list request against two
 * services on the embedded engine, one with metrics (the default: request histogram, event-store
 * and object-store timers) and one with METRICS=off, same data, same load, alternating rounds.
 * Target ≥ 0.95×.
 */
export async function metricsOverhead(): Promise<BenchmarkResult> {
  return withTempDir('bench-metrics-overhead-', async (dir) => {
    const metered = await startServiceChild(join(dir, 'metered'), join(dir, 'metered.log'));
    const unmetered = await startServiceChild(join(dir, 'unmetered'), join(dir, 'unmetered.log'), [], { METRICS: 'off' });
    try {
      progress('metricsOverhead', 'seeding both services');
      const path = (pk: number) => `/api/v1/product_image/?product=${pk}&limit=100`;
      const paths = { metered: path(await seedListedProduct(metered, 'BENCH-METRICS')), unmetered: path(await seedListedProduct(unmetered, 'BENCH-METRICS')) };
      const load = (url: string, seconds: number) => runHttpLoad({ url, connections: CONNECTIONS, durationSeconds: seconds, headers: { authorization: BENCH_AUTHORIZATION }, method: 'GET' });
      const sides = (seconds: number) => ({
        baseline: () => load(`${unmetered.url}${paths.unmetered}`, seconds),
        subject: () => load(`${metered.url}${paths.metered}`, seconds),
      });
      const describe = (result: HttpLoadResult) => formatRate(result.requestsPerSecond, 'req');
      progress('metricsOverhead', 'warm-up');
      await alternateRounds(1, sides(3));
      const rounds = await alternateRounds(ROUNDS, sides(ROUND_SECONDS), ({ baseline, subject }, index) =>
        progress('metricsOverhead', `round ${index + 1}/${ROUNDS}: METRICS=off ${describe(baseline)}, on ${describe(subject)}, ${formatRatio(subject.requestsPerSecond / baseline.requestsPerSecond)}`),
      );
      const ratios = rounds.map(({ baseline, subject }) => subject.requestsPerSecond / baseline.requestsPerSecond);
      return {
        name: `Image list with metrics on, ${LISTED_IMAGES} images, ${CONNECTIONS} connections`,
        baselineLabel: 'the same build with METRICS=off, same data',
        subjectLabel: 'metrics on (default): every request timed by method, route and status, store calls timed',
        baseline: formatRate(median(rounds.map((round) => round.baseline.requestsPerSecond)), 'req'),
        subject: formatRate(median(rounds.map((round) => round.subject.requestsPerSecond)), 'req'),
        ratio: median(ratios),
        ratioMeaning: 'subject requests/s ÷ baseline requests/s, median of the per-round ratios (higher is better)',
        target: { comparison: '>=', value: 0.95 },
        details: [
          `single instance on LMDB, two service children; autocannon ${CONNECTIONS} connections, ${ROUNDS} alternating ${ROUND_SECONDS} s rounds after a 3 s warm-up of each side`,
          `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
        ],
      };
    } finally {
      await metered.stop();
      await unmetered.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(metricsOverhead);
