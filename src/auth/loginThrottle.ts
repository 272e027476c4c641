/**
 * Growing delays after failed logins, per user name and per client address, as DRF's throttles
 * answer: the first {@link FREE_FAILURES} failures in a row cost nothing; each later one blocks
 * further attempts for twice as long as the one before (1 s, 2 s, 4 s, … up to
 * {@link MAX_BLOCK_MS}). A success clears the user's record; a record untouched for
 * {@link FORGET_AFTER_MS} is forgotten. Names are tracked whether or not they exist, so the
 * throttle tells nobody which users do. Memory is bounded: the oldest records go first.
 */
export const FREE_FAILURES = 5;
export const MAX_BLOCK_MS = 15 * 60_000;
export const FORGET_AFTER_MS = 60 * 60_000;
const MAX_RECORDS = 50_000;

interface FailureRecord {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export function loginThrottle(now: () => number = Date.now) {
  const records = new Map<string, FailureRecord>();
  const current = (key: string, at: number): FailureRecord | undefined => {
    const record = records.get(key);
    if (record !== undefined && at - record.lastFailure > FORGET_AFTER_MS) {
      records.delete(key);
      return undefined;
    }
    return record;
  };
  return {
    /** Whether an attempt for these keys (`user:<name>`, `address:<ip>`) may be checked now. */
    check(keys: readonly string[]): ThrottleVerdict {
      const at = now();
      const blockedUntil = Math.max(0, ...keys.map((key) => current(key, at)?.blockedUntil ?? 0));
      return blockedUntil > at ? { allowed: false, retryAfterMs: blockedUntil - at } : { allowed: true };
    },
    failed(keys: readonly string[]): void {
      const at = now();
      for (const key of keys) {
        const record = current(key, at) ?? { failures: 0, blockedUntil: 0, lastFailure: at };
        record.failures += 1;
        record.lastFailure = at;
        const over = record.failures - FREE_FAILURES;
        if (over > 0) record.blockedUntil = at + Math.min(MAX_BLOCK_MS, 1000 * 2 ** Math.min(over - 1, 20));
        records.delete(key);
        records.set(key, record);
        if (records.size > MAX_RECORDS) records.delete(records.keys().next().value!);
      }
    },
    succeeded(keys: readonly string[]): void {
      for (const key of keys) records.delete(key);
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
