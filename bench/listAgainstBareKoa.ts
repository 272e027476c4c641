import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { runHttpLoad, type HttpLoadResult } from './httpLoad.ts';
import { alternateRounds, formatCount, formatRatio, formatRate, median } from './measure.ts';
import { startChildServer, startServiceChild, type ChildServer } from './serviceChild.ts';

const BASELINES = {
  koa: { script: fileURLToPath(new URL('./bareKoaServer.ts', import.meta.url)), label: 'bare Koa app in a child process answering the captured response bytes' },
  http: { script: fileURLToPath(new URL('./bareHttpServer.ts', import.meta.url)), label: 'bare `node:http` server in a child process answering the captured response bytes from memory' },
} as const;
/** Extra node flags for both children, e.g. `BENCH_NODE_ARGS=--cpu-prof` to profile them. */
const SERVICE_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const CONNECTIONS = 20;
const ROUND_SECONDS = 5;
const WARM_UP_SECONDS = 3;
/** Saturated rounds per side: round-to-round swings of a fifth on this machine need more than four for a steady median. */
const SATURATED_ROUNDS = 6;
const PACED_ROUNDS = 4;
/** Response headers that belong to the connection or the moment, not to the captured answer. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** The request measured: sent as is by the load generator to both servers. */
export interface ListRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Throws unless the service's answer is the expected list (status already checked). */
  check(body: string): void;
}

export interface ListBenchmark {
  /** Progress label, e.g. `imageListThroughput`. */
  label: string;
  /** Row name of the throughput result. */
  name: string;
  subjectLabel: string;
  /** Makes the data through the service's API and returns the request to measure. */
  seed(service: ChildServer): Promise<ListRequest>;
  /** Also measure p99 at half the bare maximum, with this target (REST list). */
  p99Target?: number;
  /** What answers the captured bytes on the other side: a bare Koa app (default) or a bare `node:http` server. */
  baseline?: keyof typeof BASELINES;
  /** Throughput target (default ≥ 0.6×). */
  target?: number;
  /** Load connections (default 20). */
  connections?: number;
}

/**
 * A read through the whole service (child process, LMDB, LOG_LEVEL=info) against a bare Koa app
 * in a child process that answers the captured response bytes with the same headers, under the
 * same autocannon load. Results: saturated throughput (target ≥ 0.6×) and, when asked, p99
 * latency at half the baseline's saturated rate.
 */
export async function listAgainstBareKoa(benchmark: ListBenchmark): Promise<BenchmarkResult[]> {
  const { label } = benchmark;
  const baselineServer = BASELINES[benchmark.baseline ?? 'koa'];
  const connections = benchmark.connections ?? CONNECTIONS;
  return withTempDir(`bench-${label}-`, async (dir) => {
    const service = await startServiceChild(join(dir, 'data'), join(dir, 'service.log'), SERVICE_NODE_ARGS);
    let bare: ChildServer | undefined;
    try {
      progress(label, 'seeding through the API');
      const request = await benchmark.seed(service);
      const captured = await captureResponse(service, request, join(dir, 'response.json'));
      bare = await startChildServer(baselineServer.script, { RESPONSE_FILE: join(dir, 'response.json') }, '/ready', join(dir, 'bare.log'), SERVICE_NODE_ARGS);
      const load = (server: ChildServer, seconds: number, overallRate?: number) =>
        runHttpLoad({
          url: `${server.url}${request.path}`,
          connections,
          durationSeconds: seconds,
          headers: request.headers,
          method: request.method,
          ...(request.body === undefined ? {} : { body: request.body }),
          ...(overallRate === undefined ? {} : { overallRate }),
        });
      const sides = (seconds: number, overallRate?: number) => ({ baseline: () => load(bare!, seconds, overallRate), subject: () => load(service, seconds, overallRate) });
      const describe = (result: HttpLoadResult) => `${formatRate(result.requestsPerSecond, 'req')} p99 ${result.p99Ms.toFixed(2)} ms`;

      progress(label, 'warm-up, saturated');
      await alternateRounds(1, sides(WARM_UP_SECONDS));
      const saturated = await alternateRounds(SATURATED_ROUNDS, sides(ROUND_SECONDS), ({ baseline, subject }, index) =>
        progress(label, `saturated ${index + 1}/${SATURATED_ROUNDS}: bare ${describe(baseline)}, service ${describe(subject)}, ${formatRatio(subject.requestsPerSecond / baseline.requestsPerSecond)}`),
      );
      const baselineMax = median(saturated.map((round) => round.baseline.requestsPerSecond));
      const throughputRatios = saturated.map(({ baseline, subject }) => subject.requestsPerSecond / baseline.requestsPerSecond);
      const loadDetail = `autocannon ${connections} connections from the bench process, ${SATURATED_ROUNDS} alternating ${ROUND_SECONDS} s rounds after a ${WARM_UP_SECONDS} s warm-up of each side; any non-2xx, error or timeout fails the run`;
      const responseDetail = `the request: \`${request.method} ${request.path}\`${request.body === undefined ? '' : ` with a ${formatCount(request.body.length)}-byte body`}; the response: ${formatCount(captured.bytes)} bytes, ${captured.headers} headers besides date/connection/keep-alive/content-length; the bare app sends the same`;
      const results: BenchmarkResult[] = [
        {
          name: benchmark.name,
          baselineLabel: baselineServer.label,
          subjectLabel: benchmark.subjectLabel,
          baseline: formatRate(baselineMax, 'req'),
          subject: formatRate(median(saturated.map((round) => round.subject.requestsPerSecond)), 'req'),
          ratio: median(throughputRatios),
          ratioMeaning: 'subject requests/s ÷ baseline requests/s, median of the per-round ratios (higher is better)',
          target: { comparison: '>=', value: benchmark.target ?? 0.6 },
          details: [loadDetail, responseDetail, `per-round ratios: ${throughputRatios.map(formatRatio).join(', ')}`],
        },
      ];
      if (benchmark.p99Target === undefined) return results;

      const rate = Math.round(baselineMax / 2);
      progress(label, `paced at ${formatRate(rate, 'req')} (half the bare maximum)`);
      const paced = await alternateRounds(PACED_ROUNDS, sides(ROUND_SECONDS, rate), ({ baseline, subject }, index) =>
        progress(label, `paced ${index + 1}/${PACED_ROUNDS}: bare ${describe(baseline)}, service ${describe(subject)}, ${formatRatio(subject.p99Ms / baseline.p99Ms)}`),
      );
      const latencyRatios = paced.map(({ baseline, subject }) => subject.p99Ms / baseline.p99Ms);
      const p99 = (values: HttpLoadResult[]) => `${median(values.map((result) => result.p99Ms)).toFixed(2)} ms p99`;
      results.push({
        name: `${benchmark.name.split(',')[0]} p99 at half the bare maximum (${formatRate(rate, 'req')})`,
        baselineLabel: baselineServer.label,
        subjectLabel: 'whole service: the same request',
        baseline: p99(paced.map((round) => round.baseline)),
        subject: p99(paced.map((round) => round.subject)),
        ratio: median(latencyRatios),
        ratioMeaning: 'subject p99 ÷ baseline p99, median of the per-round ratios (lower is better)',
        target: { comparison: '<=', value: benchmark.p99Target },
        details: [
          `autocannon \`overallRate\` ${formatCount(rate)}/s over ${connections} connections (half the bare app's median saturated rate), ${PACED_ROUNDS} alternating ${ROUND_SECONDS} s rounds`,
          'autocannon paces per connection per second: each connection sends its share back to back, then waits for the next second, so the p99 is that of short bursts, not of evenly spaced arrivals',
          "p99 computed exactly from every 2xx response time (autocannon's own histogram rounds to whole milliseconds)",
          `per-round ratios: ${latencyRatios.map(formatRatio).join(', ')}`,
        ],
      });
      return results;
    } finally {
      await bare?.stop();
      await service.stop();
    }
  });
}

/** Captures the service's answer to the request (status, end-to-end headers, body) into `file`. */
async function captureResponse(service: ChildServer, request: ListRequest, file: string): Promise<{ bytes: number; headers: number }> {
  const response = await fetch(`${service.url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${request.method} ${request.path} answered ${response.status}: ${body.toString()}`);
  request.check(body.toString());
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !HOP_HEADERS.has(name)));
  await writeFile(file, JSON.stringify({ status: response.status, headers, bodyBase64: body.toString('base64') }));
  return { bytes: body.length, headers: Object.keys(headers).length };
}
