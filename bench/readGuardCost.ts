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
 * Issue 19: the cost of read-your-writes across instances on the hottest read. The same image
 * list request against two services on the embedded engine, one with the read guard (the
 * default) and one with READ_GUARD_TIMEOUT_MS=0, same data, same load, alternating rounds.
 * Target ≥ 0.9×.
 */
export async function readGuardCost(): Promise<BenchmarkResult> {
  return withTempDir('bench-read-guard-', async (dir) => {
    const guarded = await startServiceChild(join(dir, 'guarded'), join(dir, 'guarded.log'));
    const unguarded = await startServiceChild(join(dir, 'unguarded'), join(dir, 'unguarded.log'), [], { READ_GUARD_TIMEOUT_MS: '0' });
    try {
      progress('readGuardCost', 'seeding both services');
      const path = (pk: number) => `/api/v1/product_image/?product=${pk}&limit=100`;
      const paths = { guarded: path(await seedListedProduct(guarded, 'BENCH-GUARD')), unguarded: path(await seedListedProduct(unguarded, 'BENCH-GUARD')) };
      const load = (url: string, seconds: number) => runHttpLoad({ url, connections: CONNECTIONS, durationSeconds: seconds, headers: { authorization: BENCH_AUTHORIZATION }, method: 'GET' });
      const sides = (seconds: number) => ({
        baseline: () => load(`${unguarded.url}${paths.unguarded}`, seconds),
        subject: () => load(`${guarded.url}${paths.guarded}`, seconds),
      });
      const describe = (result: HttpLoadResult) => formatRate(result.requestsPerSecond, 'req');
      progress('readGuardCost', 'warm-up');
      await alternateRounds(1, sides(3));
      const rounds = await alternateRounds(ROUNDS, sides(ROUND_SECONDS), ({ baseline, subject }, index) =>
        progress('readGuardCost', `round ${index + 1}/${ROUNDS}: off ${describe(baseline)}, on ${describe(subject)}, ${formatRatio(subject.requestsPerSecond / baseline.requestsPerSecond)}`),
      );
      const ratios = rounds.map(({ baseline, subject }) => subject.requestsPerSecond / baseline.requestsPerSecond);
      return {
        name: `Image list with the cross-instance read guard, ${LISTED_IMAGES} images, ${CONNECTIONS} connections`,
        baselineLabel: 'the same build with the guard off (READ_GUARD_TIMEOUT_MS=0), same data',
        subjectLabel: 'the guard on (default): every request waits until the read models include the store\'s head',
        baseline: formatRate(median(rounds.map((round) => round.baseline.requestsPerSecond)), 'req'),
        subject: formatRate(median(rounds.map((round) => round.subject.requestsPerSecond)), 'req'),
        ratio: median(ratios),
        ratioMeaning: 'subject requests/s ÷ baseline requests/s, median of the per-round ratios (higher is better)',
        target: { comparison: '>=', value: 0.9 },
        details: [
          `single instance on LMDB, two service children; autocannon ${CONNECTIONS} connections, ${ROUNDS} alternating ${ROUND_SECONDS} s rounds after a 3 s warm-up of each side`,
          `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
        ],
      };
    } finally {
      await guarded.stop();
      await unguarded.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(readGuardCost);
