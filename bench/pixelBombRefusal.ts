import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { renderConsoleTable } from './benchmarksReport.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { elapsedMs, formatCount, median } from './measure.ts';
import { BENCH_AUTHORIZATION, startServiceChild, type ChildServer } from './serviceChild.ts';
import { isEntryPoint } from './standalone.ts';

const PIXEL_BOMB = fileURLToPath(new URL('../test/fixtures/pixel-bomb.png', import.meta.url));
const BOUNDARY = '----bench-pixel-bomb-boundary-41f2';
const WARM_UP = 200;
const REQUESTS = 500;
/** The issue's bound on the time to refuse a pixel bomb. */
const LIMIT_MS = 5;
/** Growth of the service's peak resident memory taken as a spike (decoding the bomb would need ~730 MiB). */
const SPIKE_BYTES = 16 * 2 ** 20;
const INVALID_IMAGE = 'Upload a valid image. The file you uploaded was either not an image or a corrupted image.';

function multipartBody(productPk: number, png: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="product"\r\n\r\n${productPk}\r\n`),
    Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="image"; filename="bomb.png"\r\ncontent-type: image/png\r\n\r\n`),
    png,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** One upload; resolves with the milliseconds from sending to the end of the answer, which must be the seed's 400. */
function timedUpload(service: ChildServer, agent: Agent, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = request(
      `${service.url}/api/v1/product_image/`,
      {
        method: 'POST',
        agent,
        headers: { authorization: BENCH_AUTHORIZATION, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': body.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const ms = elapsedMs(started);
          const text = Buffer.concat(chunks).toString();
          if (response.statusCode !== 400 || !text.includes(INVALID_IMAGE)) reject(new Error(`the pixel bomb was answered ${response.statusCode}: ${text}`));
          else resolve(ms);
        });
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

/** Peak resident set size of a process so far (`VmHWM`), in bytes. */
async function peakResidentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (match === null) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

const percentile = (sorted: number[], fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;

/**
 * Issue 4: a pixel-bomb PNG (16000×16000, 256 megapixels, 31 KB) uploaded through the whole
 * service is refused with the seed's invalid-image 400 in ≤ 5 ms, with no memory spike. An
 * absolute target: the ratio is the p99 over 5 ms, and the peak-memory growth over 16 MiB.
 */
export async function pixelBombRefusal(): Promise<BenchmarkResult[]> {
  return withTempDir('bench-pixel-bomb-', async (dir) => {
    const service = await startServiceChild(join(dir, 'data'), join(dir, 'service.log'), (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const created = await fetch(`${service.url}/api/v1/products/`, {
        method: 'POST',
        headers: { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'BENCH-PIXEL-BOMB' }),
      });
      if (created.status !== 201) throw new Error(`creating the product answered ${created.status}`);
      const body = multipartBody(((await created.json()) as { pk: number }).pk, await readFile(PIXEL_BOMB));

      progress('pixelBombRefusal', `warm-up: ${WARM_UP} refusals`);
      for (let index = 0; index < WARM_UP; index++) await timedUpload(service, agent, body);
      const peakBefore = await peakResidentBytes(service.pid);
      progress('pixelBombRefusal', `${REQUESTS} refusals, one at a time`);
      const times: number[] = [];
      for (let index = 0; index < REQUESTS; index++) times.push(await timedUpload(service, agent, body));
      const growth = (await peakResidentBytes(service.pid)) - peakBefore;

      const sorted = [...times].sort((a, b) => a - b);
      const p99 = percentile(sorted, 0.99);
      const serverTimes = (await readFile(join(dir, 'service.log'), 'utf8'))
        .split('\n')
        .filter((line) => line.includes('"msg":"request"') && line.includes('"status":400'))
        .map((line) => (JSON.parse(line) as { durationMs: number }).durationMs)
        .slice(-REQUESTS)
        .sort((a, b) => a - b);
      const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
      const common = [
        `${REQUESTS} sequential multipart uploads of the 16000×16000 PNG (${formatCount(body.length)}-byte body, keep-alive) after ${WARM_UP} for warm-up; each must be the seed's 400 invalid-image answer`,
        'an absolute target from the issue, so the baseline column holds the bound',
        `the service's own time for the same requests (its access log, arrival to answer): median ${percentile(serverTimes, 0.5).toFixed(2)} ms, p99 ${percentile(serverTimes, 0.99).toFixed(2)} ms; the rest is the client and the loopback`,
      ];
      return [
        {
          name: 'Pixel-bomb PNG refused (256 MP), p99 time',
          baselineLabel: `the issue's bound: ${LIMIT_MS} ms`,
          subjectLabel: 'whole service: `POST /api/v1/product_image/` → 400, time from sending to the end of the answer',
          baseline: `${LIMIT_MS} ms`,
          subject: `${p99.toFixed(2)} ms p99 (median ${median(times).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms)`,
          ratio: p99 / LIMIT_MS,
          ratioMeaning: `p99 ÷ ${LIMIT_MS} ms (lower is better)`,
          target: { comparison: '<=', value: 1 },
          details: common,
        },
        {
          name: 'Pixel-bomb PNG refused (256 MP), peak memory growth',
          baselineLabel: `what counts as a spike: ${mib(SPIKE_BYTES)} (decoding the bomb would take ~730 MiB)`,
          subjectLabel: 'growth of the service process\'s peak resident memory (VmHWM) over the measured refusals',
          baseline: mib(SPIKE_BYTES),
          subject: mib(Math.max(0, growth)),
          ratio: Math.max(0, growth) / SPIKE_BYTES,
          ratioMeaning: `peak growth ÷ ${mib(SPIKE_BYTES)} (lower is better)`,
          target: { comparison: '<=', value: 1 },
          details: [...common, `VmHWM before ${mib(peakBefore)}, after ${mib(peakBefore + growth)}`],
        },
      ];
    } finally {
      agent.destroy();
      await service.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) {
  pixelBombRefusal().then(
    (results) => process.stdout.write(`${renderConsoleTable(results)}\n${results.flatMap((result) => result.details.map((line) => `- ${line}`)).join('\n')}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
