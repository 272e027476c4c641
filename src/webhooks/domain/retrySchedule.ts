/** Delays before the 2nd, 3rd, … attempt of one event; the last repeats (5 s, 30 s, 2 min, 10 min, 1 h, then every 6 h). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000];

/** Share of a delay that jitter may add or remove, so receivers that failed together are not retried in lockstep. */
export const RETRY_JITTER = 0.2;

/**
 * The wait before attempt `failedAttempts + 1` of an event that failed `failedAttempts` times:
 * the schedule's delay (its last one repeating) scaled by a jitter of ±{@link RETRY_JITTER}.
 * `random` is in [0, 1) (injected so tests are exact).
 * @example retryDelayMs(1, DEFAULT_RETRY_DELAYS_MS, () => 0.5); // 5000
 */
export function retryDelayMs(failedAttempts: number, delays: readonly number[], random: () => number): number {
  const base = delays[Math.min(failedAttempts, delays.length) - 1] ?? 0;
  return Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
}

/** Whether an event failing since `failingSinceMs` has used up the retry window at `nowMs`. */
export const retriesExhausted = (failingSinceMs: number, nowMs: number, retryHours: number): boolean => nowMs - failingSinceMs >= retryHours * 3_600_000;
