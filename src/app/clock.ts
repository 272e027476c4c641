/** The injected source of time: ISO-8601 UTC strings with microseconds, e.g. `2022-11-25T12:06:42.954200Z`. */
export type Clock = () => string;

/**
 * Wall-clock time with microsecond digits that never goes backwards within this process, so
 * events written in order carry increasing `occurredAt` values even within one millisecond.
 */
export function systemClock(): Clock {
  let lastMicros = 0n;
  return () => {
    let micros = BigInt(Date.now()) * 1000n + (process.hrtime.bigint() / 1000n) % 1000n;
    if (micros <= lastMicros) micros = lastMicros + 1n;
    lastMicros = micros;
    return formatMicros(micros);
  };
}

/** A clock for tests: starts at `start` and advances by `stepMicros` on every reading. */
export function fixedStepClock(start = '2024-01-01T00:00:00.000000Z', stepMicros = 1000): Clock {
  let micros = BigInt(Date.parse(start)) * 1000n;
  return () => {
    const now = formatMicros(micros);
    micros += BigInt(stepMicros);
    return now;
  };
}

function formatMicros(micros: bigint): string {
  const millis = Number(micros / 1000n);
  const subMillis = String(micros % 1000n).padStart(3, '0');
  return new Date(millis).toISOString().replace('Z', `${subMillis}Z`);
}
