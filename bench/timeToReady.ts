import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { alternateRounds, formatCount, formatMs, formatRatio, median } from './measure.ts';
import { createProductDataset, type ProductDataset } from './productDataset.ts';
import { benchEventCount } from './productEventLog.ts';
import { timeServiceToReady } from './serviceProcess.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const ROUNDS = 7;
const START_TIMEOUT_MS = 60_000;
const CATCH_UP_TIMEOUT_MS = 15 * 60_000;

/**
 * Target 4: with the product log stored and already projected, the service is ready within 1.5×
 * the time it needs on an empty data dir: a start replays nothing it has projected before.
 * Both are whole-service starts (`node --import tsx src/main.ts`), spawn to first 200 from `/ready`.
 * Pass a dataset to reuse an event store populated already (`bench/run.ts` shares it).
 */
export async function timeToReady(dataset?: ProductDataset): Promise<BenchmarkResult> {
  if (dataset === undefined) {
    return withTempDir('bench-ready-data-', async (dir) => timeToReady(await createProductDataset(dir, benchEventCount())));
  }
  const { dataDir, events } = dataset;
  return withTempDir('bench-ready-', async (dir) => {
    let emptyDirs = 0;
    const startEmpty = async () => {
      const emptyDir = await mkdtemp(join(dir, `empty-${++emptyDirs}-`));
      try {
        return await timeServiceToReady(emptyDir, START_TIMEOUT_MS);
      } finally {
        await rm(emptyDir, { recursive: true, force: true });
      }
    };
    progress('timeToReady', 'warm-up start on an empty data dir');
    const warmupMs = await startEmpty();
    progress('timeToReady', `first start on the ${formatCount(events)}-event data dir (the projections catch up)`);
    const catchUpMs = await timeServiceToReady(dataDir, CATCH_UP_TIMEOUT_MS);
    progress('timeToReady', `caught up and ready after ${formatMs(catchUpMs)}`);

    const results = await alternateRounds(
      ROUNDS,
      { baseline: startEmpty, subject: () => timeServiceToReady(dataDir, START_TIMEOUT_MS) },
      ({ baseline, subject }, index) =>
        progress('timeToReady', `round ${index + 1}/${ROUNDS}: empty ${formatMs(baseline)}, ${formatCount(events)} events ${formatMs(subject)}, ${formatRatio(subject / baseline)}`),
    );
    const ratios = results.map(({ baseline, subject }) => subject / baseline);
    return {
      name: `Time to ready, ${formatCount(events)} events stored`,
      baselineLabel: 'whole service (`node --import tsx src/main.ts`) on a fresh empty DATA_DIR: spawn → first 200 from `GET /ready`',
      subjectLabel: `the same on the DATA_DIR holding ${formatCount(events)} events whose read models caught up in an earlier start (stopped with SIGTERM)`,
      baseline: formatMs(median(results.map((round) => round.baseline))),
      subject: formatMs(median(results.map((round) => round.subject))),
      ratio: median(ratios),
      ratioMeaning: 'subject time ÷ baseline time, median of the per-round ratios (lower is better)',
      target: { comparison: '<=', value: 1.5 },
      details: [
        `${ROUNDS} alternating rounds after one warm-up start; \`/ready\` polled every 5 ms; API_USERS set, PORT free, LOG_LEVEL=info; each start is stopped with SIGTERM and awaited before the next`,
        `the first start on the populated dir (projection catch-up of ${formatCount(events)} events, not part of the ratio) took ${formatMs(catchUpMs)}; the warm-up start ${formatMs(warmupMs)}`,
        `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
      ],
    };
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(() => timeToReady());
