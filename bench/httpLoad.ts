import autocannon from 'autocannon';
import { median } from './measure.ts';

/** One autocannon run against one URL. */
export interface HttpLoad {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  /** Requests per second across all connections; unset → as fast as the server answers. */
  overallRate?: number;
  /** Default GET without a body. */
  method?: 'GET' | 'POST';
  body?: string;
}

export interface HttpLoadResult {
  requests: number;
  requestsPerSecond: number;
  /** Exact percentiles of the 2xx latencies (autocannon's own histogram rounds to whole ms). */
  p50Ms: number;
  p99Ms: number;
}

/** The `fraction` percentile of `values` (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/**
 * Runs autocannon in this process and returns its throughput and the latency percentiles taken
 * from every response's own duration. Any non-2xx answer, socket error or timeout fails the run:
 * a fast error page must not pass for throughput.
 */
export async function runHttpLoad({ url, connections, durationSeconds, headers, overallRate, method, body }: HttpLoad): Promise<HttpLoadResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    connections,
    duration: durationSeconds,
    ...(method === undefined ? {} : { method }),
    ...(body === undefined ? {} : { body }),
    ...(headers === undefined ? {} : { headers }),
    ...(overallRate === undefined ? {} : { overallRate: Math.max(1, Math.round(overallRate)) }),
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
  });
  const result = await instance;
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  const requests = latencies.length;
  return {
    requests,
    requestsPerSecond: requests / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** The median of one figure over rounds. */
export function medianOf<T>(rounds: readonly T[], pick: (round: T) => number): number {
  return median(rounds.map(pick));
}
