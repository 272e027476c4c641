import type { BenchmarkResult } from './benchmarkResult.ts';
import { medianRate, measureDurableAppends } from './durableAppends.ts';
import { formatRatio, formatRate, median } from './measure.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const ROUNDS = 16;
const ROUND_MS = 750;
const WARMUP_MS = 1000;

/**
 * Target 2: one writer awaiting each durable append reaches at least 0.8× a raw durable LMDB
 * put awaited the same way (both are bound by one fsync per write).
 */
export async function appendSequential(): Promise<BenchmarkResult> {
  const measured = await measureDurableAppends({ benchmark: 'appendSequential', writers: 1, rounds: ROUNDS, roundMs: ROUND_MS, warmupMs: WARMUP_MS });
  return {
    name: 'Durable appends, one writer awaiting each',
    baselineLabel: `raw LMDB \`open({ path, overlappingSync: false })\`, one loop \`await db.put(nextKey, bytes)\` (${measured.eventBytes}-byte ImageUploaded JSON incl. metadata)`,
    subjectLabel: '`eventStore.appendToStream(productMedia-<pk>, [event], { expectedRevision: <revision last returned> })`, one loop, same event bytes',
    baseline: formatRate(medianRate(measured.baseline), 'puts'),
    subject: formatRate(medianRate(measured.subject), 'appends'),
    ratio: median(measured.ratios),
    ratioMeaning: 'subject appends/s ÷ baseline puts/s, median of the per-round ratios',
    target: { comparison: '>=', value: 0.8 },
    details: [
      `${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s per side after ${WARMUP_MS / 1000} s of warm-up each; both LMDB environments fresh, side by side in one temp dir`,
      'the baseline puts bytes serialized once beforehand; the subject gets the event as an object and serializes it on every append, as the command handler makes it do',
      `per-round ratios: ${measured.ratios.map(formatRatio).join(', ')}`,
    ],
  };
}

if (isEntryPoint(import.meta.url)) runStandalone(appendSequential);
