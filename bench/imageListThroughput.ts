import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePhotoJpeg } from '../test/support/imageFixtures.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { renderConsoleTable } from './benchmarksReport.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { runHttpLoad, type HttpLoadResult } from './httpLoad.ts';
import { alternateRounds, formatCount, formatRatio, formatRate, median } from './measure.ts';
import { BENCH_AUTHORIZATION, startChildServer, startServiceChild, type ChildServer } from './serviceChild.ts';
import { isEntryPoint } from './standalone.ts';

const BARE_KOA_SERVER = fileURLToPath(new URL('./bareKoaServer.ts', import.meta.url));
/** Extra node flags for both children, e.g. `BENCH_NODE_ARGS=--cpu-prof` to profile them. */
const SERVICE_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const IMAGES = 10;
const CONNECTIONS = 20;
const ROUND_SECONDS = 5;
const WARM_UP_SECONDS = 3;
const ROUNDS = 4;
/** Response headers that belong to the connection or the moment, not to the captured answer. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

const LOAD_DETAIL = `autocannon ${CONNECTIONS} connections from the bench process, ${ROUNDS} alternating ${ROUND_SECONDS} s rounds after a ${WARM_UP_SECONDS} s warm-up of each side; any non-2xx, error or timeout fails the run`;

/** A product with `IMAGES` images made through the REST API; returns the list path. */
async function seedProduct(service: ChildServer): Promise<string> {
  const json = { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' };
  const product = await fetch(`${service.url}/api/v1/products/`, { method: 'POST', headers: json, body: JSON.stringify({ sku: 'BENCH-LIST-1' }) });
  if (product.status !== 201) throw new Error(`creating the product answered ${product.status}: ${await product.text()}`);
  const { pk } = (await product.json()) as { pk: number };
  const jpeg = await makePhotoJpeg({ width: 400, height: 300 });
  for (let order = 0; order < IMAGES; order++) {
    const form = new FormData();
    form.append('product', String(pk));
    form.append('order', String(order));
    form.append('image', new Blob([jpeg], { type: 'image/jpeg' }), `photo-${order}.jpg`);
    const upload = await fetch(`${service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: BENCH_AUTHORIZATION }, body: form });
    if (upload.status !== 201) throw new Error(`uploading image ${order} answered ${upload.status}: ${await upload.text()}`);
  }
  return `/api/v1/product_image/?product=${pk}&limit=100`;
}

/** Captures the service's answer to `path` (status, end-to-end headers, body) into `file`. */
async function captureResponse(service: ChildServer, path: string, file: string): Promise<{ bytes: number; headers: number }> {
  const response = await fetch(`${service.url}${path}`, { headers: { authorization: BENCH_AUTHORIZATION } });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.toString()}`);
  const { count } = JSON.parse(body.toString()) as { count: number };
  if (count !== IMAGES) throw new Error(`GET ${path} listed ${count} images, not ${IMAGES}`);
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !HOP_HEADERS.has(name)));
  await writeFile(file, JSON.stringify({ status: response.status, headers, bodyBase64: body.toString('base64') }));
  return { bytes: body.length, headers: Object.keys(headers).length };
}

/**
 * Issue 4, listing: `GET /api/v1/product_image/?product=<pk>&limit=100` for a product with 10 images,
 * through the whole service in a child process, against a bare Koa app in a child process that
 * answers the same bytes with the same headers. Two results: saturated throughput (target ≥ 0.6×)
 * and p99 latency at half the baseline's saturated rate (target ≤ 1.5×).
 */
export async function imageListThroughput(): Promise<BenchmarkResult[]> {
  return withTempDir('bench-image-list-', async (dir) => {
    const service = await startServiceChild(join(dir, 'data'), join(dir, 'service.log'), SERVICE_NODE_ARGS);
    let bare: ChildServer | undefined;
    try {
      progress('imageListThroughput', `seeding a product with ${IMAGES} images through the API`);
      const path = await seedProduct(service);
      const captured = await captureResponse(service, path, join(dir, 'response.json'));
      bare = await startChildServer(BARE_KOA_SERVER, { RESPONSE_FILE: join(dir, 'response.json') }, '/ready', join(dir, 'bare.log'), SERVICE_NODE_ARGS);
      const headers = { authorization: BENCH_AUTHORIZATION };
      const load = (server: ChildServer, seconds: number, overallRate?: number) =>
        runHttpLoad({ url: `${server.url}${path}`, connections: CONNECTIONS, durationSeconds: seconds, headers, ...(overallRate === undefined ? {} : { overallRate }) });
      const sides = (seconds: number, overallRate?: number) => ({ baseline: () => load(bare!, seconds, overallRate), subject: () => load(service, seconds, overallRate) });
      const describe = (result: HttpLoadResult) => `${formatRate(result.requestsPerSecond, 'req')} p99 ${result.p99Ms.toFixed(2)} ms`;

      progress('imageListThroughput', 'warm-up, saturated');
      await alternateRounds(1, sides(WARM_UP_SECONDS));
      const saturated = await alternateRounds(ROUNDS, sides(ROUND_SECONDS), ({ baseline, subject }, index) =>
        progress('imageListThroughput', `saturated ${index + 1}/${ROUNDS}: bare ${describe(baseline)}, service ${describe(subject)}, ${formatRatio(subject.requestsPerSecond / baseline.requestsPerSecond)}`),
      );
      const baselineMax = median(saturated.map((round) => round.baseline.requestsPerSecond));
      const rate = Math.round(baselineMax / 2);

      progress('imageListThroughput', `paced at ${formatRate(rate, 'req')} (half the bare maximum)`);
      const paced = await alternateRounds(ROUNDS, sides(ROUND_SECONDS, rate), ({ baseline, subject }, index) =>
        progress('imageListThroughput', `paced ${index + 1}/${ROUNDS}: bare ${describe(baseline)}, service ${describe(subject)}, ${formatRatio(subject.p99Ms / baseline.p99Ms)}`),
      );

      const throughputRatios = saturated.map(({ baseline, subject }) => subject.requestsPerSecond / baseline.requestsPerSecond);
      const latencyRatios = paced.map(({ baseline, subject }) => subject.p99Ms / baseline.p99Ms);
      const responseDetail = `the response: ${formatCount(captured.bytes)} bytes of JSON, ${captured.headers} headers besides date/connection/keep-alive/content-length; the bare app sends the same`;
      const p99 = (results: HttpLoadResult[]) => `${median(results.map((result) => result.p99Ms)).toFixed(2)} ms p99`;
      return [
        {
          name: `Image list, ${IMAGES} images, ${CONNECTIONS} connections`,
          baselineLabel: 'bare Koa app in a child process answering the captured response bytes',
          subjectLabel: 'whole service (`node --import tsx src/main.ts`, LMDB, LOG_LEVEL=info): `GET /api/v1/product_image/?product=<pk>&limit=100`',
          baseline: formatRate(baselineMax, 'req'),
          subject: formatRate(median(saturated.map((round) => round.subject.requestsPerSecond)), 'req'),
          ratio: median(throughputRatios),
          ratioMeaning: 'subject requests/s ÷ baseline requests/s, median of the per-round ratios (higher is better)',
          target: { comparison: '>=', value: 0.6 },
          details: [LOAD_DETAIL, responseDetail, `per-round ratios: ${throughputRatios.map(formatRatio).join(', ')}`],
        },
        {
          name: `Image list p99 at half the bare maximum (${formatRate(rate, 'req')})`,
          baselineLabel: 'bare Koa app in a child process answering the captured response bytes',
          subjectLabel: 'whole service: the same list request',
          baseline: p99(paced.map((round) => round.baseline)),
          subject: p99(paced.map((round) => round.subject)),
          ratio: median(latencyRatios),
          ratioMeaning: 'subject p99 ÷ baseline p99, median of the per-round ratios (lower is better)',
          target: { comparison: '<=', value: 1.5 },
          details: [
            `autocannon \`overallRate\` ${formatCount(rate)}/s over ${CONNECTIONS} connections (half the bare app's median saturated rate), ${ROUNDS} alternating ${ROUND_SECONDS} s rounds`,
            'autocannon paces per connection per second: each connection sends its share back to back, then waits for the next second, so the p99 is that of short bursts, not of evenly spaced arrivals',
            'p99 computed exactly from every 2xx response time (autocannon\'s own histogram rounds to whole milliseconds)',
            `per-round ratios: ${latencyRatios.map(formatRatio).join(', ')}`,
          ],
        },
      ];
    } finally {
      await bare?.stop();
      await service.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) {
  imageListThroughput().then(
    (results) => {
      process.stdout.write(`${renderConsoleTable(results)}\n`);
      for (const result of results) process.stdout.write(`\n${result.name}:\n${result.details.map((line) => `- ${line}`).join('\n')}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
