import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { adminPage } from './adminPage.ts';
import { appendConcurrent } from './appendConcurrent.ts';
import { appendSequential } from './appendSequential.ts';
import { asOfQuery } from './asOfQuery.ts';
import { catalogImport } from './catalogImport.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { renderBenchmarksMarkdown, renderConsoleTable } from './benchmarksReport.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { describeCodeRevision } from './codeRevision.ts';
import { esdbAppends } from './esdbAppends.ts';
import { imageListThroughput } from './imageListThroughput.ts';
import { imageUploadThroughput } from './imageUploadThroughput.ts';
import { longStreamWrites } from './longStreamWrites.ts';
import { mediaByGalleryFile } from './mediaByGalleryFile.ts';
import { mediaDelivery } from './mediaDelivery.ts';
import { metricsOverhead } from './metricsOverhead.ts';
import { metricsScrape } from './metricsScrape.ts';
import { renditionFirstRequest } from './renditionFirstRequest.ts';
import { readGuardCost } from './readGuardCost.ts';
import { listDuringRebuild } from './listDuringRebuild.ts';
import { swappableReads } from './swappableReads.ts';
import { sseReplayMemory } from './sseReplayMemory.ts';
import { uploadSoak } from './uploadSoak.ts';
import { pixelBombRefusal } from './pixelBombRefusal.ts';
import { rpcCreateThroughput } from './rpcCreateThroughput.ts';
import { rpcListThroughput } from './rpcListThroughput.ts';
import { elapsedMs, formatCount } from './measure.ts';
import { createProductDataset } from './productDataset.ts';
import { benchEventCount, RECORDED_EVENT_COUNT } from './productEventLog.ts';
import { projectionRebuild } from './projectionRebuild.ts';
import { sseFanOut } from './sseFanOut.ts';
import { timeToReady } from './timeToReady.ts';
import { webhookFanOut, webhookThroughput } from './webhookDelivery.ts';

const BENCHMARKS_MD = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const LMDB_PACKAGE_JSON = fileURLToPath(new URL('../node_modules/lmdb/package.json', import.meta.url));

/**
 * `npm run bench`: every benchmark in turn, then the table, written to BENCHMARKS.md when the run
 * used the recorded event count. The two 1M-event benchmarks share one populated event store.
 */
async function main(): Promise<void> {
  const started = performance.now();
  const date = new Date();
  const loadBefore = loadavg();
  // Others may edit the code meanwhile: the benchmarks load it at the start, child services at spawn.
  const codeAtStart = describeCodeRevision();
  const events = benchEventCount();
  const results: BenchmarkResult[] = [];
  results.push(await appendConcurrent());
  results.push(await appendSequential());
  await withTempDir('bench-product-log-', async (dataDir) => {
    const dataset = await createProductDataset(dataDir, events);
    results.push(await projectionRebuild(dataset));
    results.push(await timeToReady(dataset));
    // Last on this dataset: it appends one product's gallery history to the shared log.
    results.push(await asOfQuery(dataset));
  });
  results.push(await esdbAppends());
  results.push(...(await longStreamWrites()));
  results.push(...(await imageListThroughput()));
  results.push(await imageUploadThroughput());
  results.push(...(await pixelBombRefusal()));
  results.push(...(await rpcListThroughput()));
  results.push(await rpcCreateThroughput());
  results.push(await sseFanOut());
  results.push(await webhookFanOut());
  results.push(await webhookThroughput());
  results.push(...(await mediaDelivery()));
  results.push(...(await mediaByGalleryFile()));
  results.push(await renditionFirstRequest());
  results.push(await readGuardCost());
  results.push(await listDuringRebuild());
  results.push(await swappableReads());
  results.push(await sseReplayMemory());
  results.push(await uploadSoak());
  results.push(...(await adminPage()));
  results.push(await metricsScrape());
  results.push(await metricsOverhead());
  results.push(...(await catalogImport()));

  process.stdout.write(`\n${renderConsoleTable(results)}\n`);
  const loadAfter = loadavg();
  const codeAtEnd = describeCodeRevision();
  const revision =
    codeAtEnd === codeAtStart
      ? codeAtStart
      : `${codeAtStart} at the start, but **the code changed during the run** (${codeAtEnd} at the end): the figures may mix versions, run again`;
  if (codeAtEnd !== codeAtStart) progress('bench', 'WARNING: the measured code changed during the run; the figures may mix versions');
  const markdown = renderBenchmarksMarkdown(results, {
    date,
    command: events === RECORDED_EVENT_COUNT ? 'npm run bench' : `BENCH_EVENTS=${events} npm run bench`,
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    nodeVersion: process.version,
    lmdbVersion: (JSON.parse(readFileSync(LMDB_PACKAGE_JSON, 'utf8')) as { version: string }).version,
    revision,
    loadAverages: { before: loadBefore, after: loadAfter },
    totalSeconds: elapsedMs(started) / 1000,
  });
  if (events === RECORDED_EVENT_COUNT) {
    writeFileSync(BENCHMARKS_MD, markdown);
    progress('bench', `results written to ${BENCHMARKS_MD}`);
  } else {
    process.stdout.write(`\n${markdown}`);
    progress('bench', `BENCH_EVENTS=${formatCount(events)}: a quick check, BENCHMARKS.md left as it was (it records ${formatCount(RECORDED_EVENT_COUNT)}-event runs)`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
