import { performance } from 'node:perf_hooks';

/**
 * Timing helpers shared by the benchmarks. Every comparison runs baseline and subject in
 * alternating rounds (A B B A A B …) so that drift of the machine (page cache, other processes,
 * thermal state) hits both sides alike; each round yields one ratio and the median is reported.
 */

/** Milliseconds since `start` (a `performance.now()` reading). */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Throughput of one timed run. */
export interface Throughput {
  operations: number;
  ms: number;
  perSecond: number;
}

/**
 * Runs `concurrency` loops that each await `operation(loop)` again and again until `durationMs`
 * has passed; the clock stops when the last loop's operation in flight has finished.
 */
export async function throughputFor(
  durationMs: number,
  concurrency: number,
  operation: (loop: number) => Promise<unknown>,
): Promise<Throughput> {
  let operations = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  const loop = async (index: number): Promise<void> => {
    while (performance.now() < deadline) {
      await operation(index);
      operations += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => loop(index)));
  const ms = elapsedMs(start);
  return { operations, ms, perSecond: (operations * 1000) / ms };
}

/** One baseline/subject pair of measurements. */
export interface Round<T> {
  baseline: T;
  subject: T;
}

/**
 * Measures baseline and subject `rounds` times, alternating which goes first (A B, B A, A B, …)
 * so that neither side always runs on the heels of the other.
 */
export async function alternateRounds<T>(
  rounds: number,
  sides: { baseline: () => Promise<T>; subject: () => Promise<T> },
  onRound?: (round: Round<T>, index: number) => void,
): Promise<Round<T>[]> {
  const results: Round<T>[] = [];
  for (let index = 0; index < rounds; index++) {
    let baseline: T;
    let subject: T;
    if (index % 2 === 0) {
      baseline = await sides.baseline();
      subject = await sides.subject();
    } else {
      subject = await sides.subject();
      baseline = await sides.baseline();
    }
    const round = { baseline, subject };
    results.push(round);
    onRound?.(round, index);
  }
  return results;
}

/** `1234567` → `1,234,567`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A rate such as `23,950 appends/s`. */
export function formatRate(perSecond: number, unit: string): string {
  return `${formatCount(perSecond)} ${unit}/s`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}
