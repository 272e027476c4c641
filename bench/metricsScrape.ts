import { join } from 'node:path';
import { percentile, runHttpLoad } from './httpLoad.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { LISTED_IMAGES, seedListedProduct } from './imageListThroughput.ts';
import { alternateRounds, median } from './measure.ts';
import { BENCH_AUTHORIZATION, startServiceChild, type ChildServer } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const CONNECTIONS = 20;
/**
 * The load's rate (requests/s): steady, well below what the service can serve, so that a probe's
 * latency is its own work plus ordinary interleaving, not a queue of saturated connections
 * (which makes any p99 hundreds of ms of noise on a shared machine).
 */
const LOAD_RATE = Number(process.env.BENCH_METRICS_LOAD_RATE ?? 300);
const ROUND_SECONDS = Number(process.env.BENCH_METRICS_ROUND_SECONDS ?? 5);
const ROUNDS = 6;
/** A scrape every 20 ms: hundreds of times Prometheus' usual rate, so a round holds ~250 of them. */
const PROBE_EVERY_MS = 20;

/**
 * Issue 21: what a Prometheus scrape of `/metrics` costs while the service is under load. One
 * service (embedded engine) serves a steady 300 image lists/s on 20 connections; meanwhile a prober requests
 * either `/metrics` (subject) or `/health` (baseline: the same path through the server, the
 * same queueing behind the load, no work) every 50 ms, in alternating rounds. The figure held
 * to the target is the scrape's own cost: p99 of the scrape minus p99 of the probe, in ms.
 * Target ≤ 5 ms.
 */
export async function metricsScrape(): Promise<BenchmarkResult> {
  return withTempDir('bench-metrics-scrape-', async (dir) => {
    const service = await startServiceChild(join(dir, 'data'), join(dir, 'service.log'));
    try {
      progress('metricsScrape', 'seeding (images, and traffic on many routes so the registry holds many series)');
      const listPath = `/api/v1/product_image/?product=${await seedListedProduct(service, 'BENCH-METRICS')}&limit=100`;
      await varietyTraffic(service);
      const bytes = (await (await fetch(`${service.url}/metrics`)).text()).length;
      const probeUnderLoad = async (path: string, seconds: number) => {
        const load = runHttpLoad({ url: `${service.url}${listPath}`, connections: CONNECTIONS, durationSeconds: seconds, overallRate: LOAD_RATE, headers: { authorization: BENCH_AUTHORIZATION } });
        const latencies = await probe(`${service.url}${path}`, seconds * 1000 - 200);
        await load;
        return { p99: percentile(latencies, 0.99), p50: percentile(latencies, 0.5), count: latencies.length };
      };
      const sides = (seconds: number) => ({ baseline: () => probeUnderLoad('/health', seconds), subject: () => probeUnderLoad('/metrics', seconds) });
      progress('metricsScrape', 'warm-up');
      await alternateRounds(1, sides(2));
      const rounds = await alternateRounds(ROUNDS, sides(ROUND_SECONDS), ({ baseline, subject }, index) =>
        progress('metricsScrape', `round ${index + 1}/${ROUNDS}: /health p99 ${baseline.p99.toFixed(2)} ms, /metrics p99 ${subject.p99.toFixed(2)} ms (${subject.count} scrapes)`),
      );
      const costs = rounds.map(({ baseline, subject }) => subject.p99 - baseline.p99);
      return {
        name: `/metrics scrape under load (${LOAD_RATE} image lists/s on ${CONNECTIONS} connections)`,
        baselineLabel: '`GET /health` probed the same way under the same load (p99)',
        subjectLabel: '`GET /metrics` (p99)',
        baseline: `${median(rounds.map((round) => round.baseline.p99)).toFixed(2)} ms p99 (p50 ${median(rounds.map((round) => round.baseline.p50)).toFixed(2)} ms)`,
        subject: `${median(rounds.map((round) => round.subject.p99)).toFixed(2)} ms p99 (p50 ${median(rounds.map((round) => round.subject.p50)).toFixed(2)} ms)`,
        ratio: median(costs),
        ratioMeaning: 'not a ratio: the scrape\'s own cost, subject p99 − baseline p99 in ms, median of the rounds (lower is better)',
        target: { comparison: '<=', value: 5 },
        unit: 'ms',
        details: [
          `single instance on LMDB; autocannon ${CONNECTIONS} connections at ${LOAD_RATE} req/s on a ${LISTED_IMAGES}-image list; one probe every ${PROBE_EVERY_MS} ms; ${ROUNDS} alternating ${ROUND_SECONDS} s rounds after a 2 s warm-up of each side`,
          `the exposition is ${bytes.toLocaleString('en-US')} bytes (this instance's series and the process metrics)`,
          `per-round cost (ms): ${costs.map((cost) => cost.toFixed(2)).join(', ')}`,
        ],
      };
    } finally {
      await service.stop();
    }
  });
}

/** Sequential GETs of `url` every {@link PROBE_EVERY_MS} for `durationMs`: each one's latency in ms. */
async function probe(url: string, durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, PROBE_EVERY_MS - (performance.now() - started))));
  }
  return latencies;
}

/** Requests on many routes, statuses and JSON-RPC methods, so the scrape has what a busy instance has. */
export async function varietyTraffic(service: ChildServer): Promise<void> {
  const json = { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' };
  for (let index = 0; index < 20; index += 1) {
    const product = await fetch(`${service.url}/api/v1/products/`, { method: 'POST', headers: json, body: JSON.stringify({ sku: `BENCH-METRICS-${index}` }) });
    const { pk } = (await product.json()) as { pk: number };
    await Promise.all([
      fetch(`${service.url}/api/v1/products/${pk}/`, { headers: json }),
      fetch(`${service.url}/api/v1/products/${pk + 100_000}/`, { headers: json }),
      fetch(`${service.url}/api/v1/product_image/?product=${pk}`, { headers: json }),
      fetch(`${service.url}/api/v1/products/`, { method: 'POST', headers: json, body: '{"sku": 1}' }),
      fetch(`${service.url}/api/jsonrpc`, { method: 'POST', headers: json, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'product_media.list', params: [null, `BENCH-METRICS-${index}`] }) }),
      fetch(`${service.url}/api/jsonrpc`, { method: 'POST', headers: json, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'nonsense', params: [] }) }),
      fetch(`${service.url}/nowhere/${index}`),
    ]).then((responses) => Promise.all(responses.map((response) => response.arrayBuffer())));
  }
}

if (isEntryPoint(import.meta.url)) runStandalone(metricsScrape);
