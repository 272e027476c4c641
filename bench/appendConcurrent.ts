import type { BenchmarkResult } from './benchmarkResult.ts';
import { medianRate, measureDurableAppends } from './durableAppends.ts';
import { formatRatio, formatRate, median } from './measure.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const WRITERS = 100;
const ROUNDS = 16;
const ROUND_MS = 1000;
const WARMUP_MS = 1500;

/**
 * Target 1: durable appends by 100 concurrent writers on distinct streams reach at least half the
 * throughput of raw durable LMDB puts of the same bytes at the same concurrency.
 */
export async function appendConcurrent(): Promise<BenchmarkResult> {
  const measured = await measureDurableAppends({ benchmark: 'appendConcurrent', writers: WRITERS, rounds: ROUNDS, roundMs: ROUND_MS, warmupMs: WARMUP_MS });
  return {
    name: `Durable appends, ${WRITERS} concurrent writers`,
    baselineLabel: `raw LMDB \`open({ path, overlappingSync: false })\`, ${WRITERS} loops each \`await db.put(nextKey, bytes)\` (${measured.eventBytes}-byte ImageUploaded JSON incl. metadata)`,
    subjectLabel: `\`eventStore.appendToStream(productMedia-<pk>, [event], { expectedRevision: <revision last returned> })\`, ${WRITERS} loops, one stream each, same event bytes, fresh event id per append`,
    baseline: formatRate(medianRate(measured.baseline), 'puts'),
    subject: formatRate(medianRate(measured.subject), 'appends'),
    ratio: median(measured.ratios),
    ratioMeaning: 'subject appends/s ÷ baseline puts/s, median of the per-round ratios',
    target: { comparison: '>=', value: 0.5 },
    details: [
      `${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s per side after ${WARMUP_MS / 1000} s of warm-up each; both LMDB environments fresh, side by side in one temp dir`,
      'the baseline puts bytes serialized once beforehand; the subject gets the event as an object and serializes it on every append, as the command handler makes it do',
      `per-round ratios: ${measured.ratios.map(formatRatio).join(', ')}`,
    ],
  };
}

if (isEntryPoint(import.meta.url)) runStandalone(appendConcurrent);
