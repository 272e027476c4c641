import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openLmdbReadModelStore } from '../src/adapters/lmdb/lmdbReadModelStore.ts';
import type { Projection, ReadModelStore } from '../src/ports/readModelStore.ts';
import { swappableReadModelStore } from '../src/rebuild/swappableReadModelStore.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { alternateRounds, elapsedMs, formatRate, formatRatio, median } from './measure.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const ROUNDS = 8;
const ROUND_MS = 1000;
const ROWS = 10;
const projection: Projection = { name: 'bench', version: 1, tables: ['bench'], streamNamePrefixes: ['bench-'], apply: () => {} };

/** What one list request asks of the read models: a count, a page of rows and a row by key, in a loop for `ms`. */
function readsPerSecond(store: ReadModelStore, ms: number): number {
  let operations = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let n = 0; n < 100; n++) {
      store.count('bench');
      store.range('bench', { limit: ROWS });
      store.get('bench', n % ROWS);
      store.changes();
    }
    operations += 100;
  }
  return (operations * 1000) / elapsedMs(start);
}

/**
 * Issue 21: what the indirection that lets a rebuild switch read models under the queries costs
 * on the read path. The reads of a list request (count, a page of 10 rows, a row by key, the change
 * count) on the LMDB read-model store directly (baseline) and through swappableReadModelStore
 * (subject, what the service queries read through), same store, alternating rounds. Target ≥ 0.95×.
 */
export async function swappableReads(): Promise<BenchmarkResult> {
  return withTempDir('bench-swappable-', async (dir) => {
    const raw = openLmdbReadModelStore({ path: join(dir, 'readmodels') });
    try {
      raw.commit(projection, (tx) => Array.from({ length: ROWS }, (_, n) => tx.put('bench', n, { pk: n, sku: `SKU-${n}`, name: `product ${n}` })), '1' as never);
      raw.catchUpFinished('bench');
      const swappable = swappableReadModelStore(raw);
      const sides = (ms: number) => ({ baseline: async () => readsPerSecond(raw, ms), subject: async () => readsPerSecond(swappable, ms) });
      progress('swappableReads', 'warm-up');
      await alternateRounds(2, sides(300));
      const rounds = await alternateRounds(ROUNDS, sides(ROUND_MS), ({ baseline, subject }, index) =>
        progress('swappableReads', `round ${index + 1}/${ROUNDS}: direct ${formatRate(baseline, 'reads')}, swappable ${formatRate(subject, 'reads')}, ${formatRatio(subject / baseline)}`),
      );
      const ratios = rounds.map(({ baseline, subject }) => subject / baseline);
      return {
        name: 'Read-model reads of a list request through the swappable store',
        baselineLabel: 'the LMDB read-model store called directly',
        subjectLabel: 'the same store through swappableReadModelStore (what the queries read through, so a rebuild can switch)',
        baseline: formatRate(median(rounds.map((round) => round.baseline)), 'list reads'),
        subject: formatRate(median(rounds.map((round) => round.subject)), 'list reads'),
        ratio: median(ratios),
        ratioMeaning: 'subject reads/s ÷ baseline reads/s, median of the per-round ratios (higher is better)',
        target: { comparison: '>=', value: 0.95 },
        details: [`in-process, one table of ${ROWS} rows; a "list read" is count + range(limit ${ROWS}) + get + changes(); ${ROUNDS} alternating ${ROUND_MS} ms rounds`, `per-round ratios: ${ratios.map(formatRatio).join(', ')}`],
      };
    } finally {
      await raw.close();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(swappableReads);
