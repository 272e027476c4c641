import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePhotoJpeg } from '../test/support/imageFixtures.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { alternateRounds, formatCount, formatRatio, median, throughputFor, type Throughput } from './measure.ts';
import { SERVICE_NODE_FLAGS } from '../src/nodeFlags.ts';
import { postBytes } from './imageUploadRequests.ts';
import { BENCH_AUTHORIZATION, startServiceChild, type ChildServer } from './serviceChild.ts';

const WORKER = fileURLToPath(new URL('./sharpPipelineWorker.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Extra node flags for the service, e.g. `BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'`. */
const SERVICE_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
export const PHOTO = { width: 1500, height: 1000, quality: 90 };
/** The service's default MAX_INPUT_PIXELS. */
const MAX_INPUT_PIXELS = 64_000_000;
/** Uploads go round-robin to this many products, so no gallery grows past a few images. */
const PRODUCTS = 100;
const ROUND_MS = 6000;
const WARM_UP_MS = 3000;
const ROUNDS = 4;
/** What the client sends: prebuilt bodies (no encoding work during the rounds), each answered `expect`. */
export interface UploadRequests {
  path: string;
  headers: Record<string, string>;
  bodies: Buffer[];
  /** Throws unless the answer is a successful upload. */
  expect(status: number, body: string): void;
}

export interface UploadBenchmark {
  label: string;
  name: string;
  subjectLabel: string;
  /** How the baseline worker gets the image: the file's bytes, or base64 text it decodes each time. */
  inputEncoding: 'binary' | 'base64';
  target: number;
  /** Builds the requests for these products (pk and SKU each). */
  requests(products: { pk: number; sku: string }[], jpeg: Buffer): UploadRequests;
}

async function post(service: ChildServer, agent: Agent, requests: UploadRequests, body: Buffer): Promise<void> {
  const { status, text } = await postBytes(`${service.url}${requests.path}`, agent, requests.headers, body);
  requests.expect(status, text);
}

async function createProducts(service: ChildServer): Promise<{ pk: number; sku: string }[]> {
  const products: { pk: number; sku: string }[] = [];
  for (let index = 0; index < PRODUCTS; index++) {
    const sku = `BENCH-UPLOAD-${index}`;
    const response = await fetch(`${service.url}/api/v1/products/`, {
      method: 'POST',
      headers: { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' },
      body: JSON.stringify({ sku }),
    });
    if (response.status !== 201) throw new Error(`creating a product answered ${response.status}: ${await response.text()}`);
    products.push({ pk: ((await response.json()) as { pk: number }).pk, sku });
  }
  return products;
}

/** The forked sharp-only worker: `round(ms)` runs one timed round in it. */
async function startWorker(imageFile: string, parallelism: number, inputEncoding: UploadBenchmark['inputEncoding']) {
  const child = fork(WORKER, [], {
    cwd: REPO_ROOT,
    // The service's Node flags, so that only the work differs.
    execArgv: [...SERVICE_NODE_FLAGS, '--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '', IMAGE_FILE: imageFile, PARALLELISM: String(parallelism), MAX_INPUT_PIXELS: String(MAX_INPUT_PIXELS), INPUT_ENCODING: inputEncoding },
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the sharp worker exited (${code}) before it was ready`)));
  });
  return {
    round: (durationMs: number) =>
      new Promise<Throughput>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the sharp worker exited (${code}) mid-round`));
        child.once('exit', onExit);
        child.once('message', (result) => {
          child.off('exit', onExit);
          resolve(result as Throughput);
        });
        child.send({ durationMs });
      }),
    stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
  };
}

/**
 * Uploads of a 1.5 MP photo JPEG through the whole service at parallelism = cores, against the
 * same image work (sharp pipeline + sha256, plus the base64 decode when the API sends base64) in
 * a forked process at the same parallelism on the same bytes.
 */
export async function uploadAgainstSharp(benchmark: UploadBenchmark): Promise<BenchmarkResult> {
  const parallelism = availableParallelism();
  const { label } = benchmark;
  return withTempDir(`bench-${label}-`, async (dir) => {
    const jpeg = await makePhotoJpeg(PHOTO);
    const imageFile = join(dir, 'photo.jpg');
    await writeFile(imageFile, jpeg);
    const service = await startServiceChild(join(dir, 'data'), join(dir, 'service.log'), SERVICE_NODE_ARGS);
    const worker = await startWorker(imageFile, parallelism, benchmark.inputEncoding);
    const agent = new Agent({ keepAlive: true, maxSockets: parallelism });
    try {
      progress(label, `creating ${PRODUCTS} products`);
      const requests = benchmark.requests(await createProducts(service), jpeg);
      const { bodies } = requests;
      let uploads = 0;
      const uploadRound = (durationMs: number) => throughputFor(durationMs, parallelism, () => post(service, agent, requests, bodies[uploads++ % bodies.length]!));
      const sides = (durationMs: number) => ({ baseline: () => worker.round(durationMs), subject: () => uploadRound(durationMs) });

      progress(label, 'warm-up');
      await alternateRounds(1, sides(WARM_UP_MS));
      const results = await alternateRounds(ROUNDS, sides(ROUND_MS), ({ baseline, subject }, index) =>
        progress(
          label,
          `round ${index + 1}/${ROUNDS}: sharp ${baseline.perSecond.toFixed(1)}/s, service ${subject.perSecond.toFixed(1)}/s, ${formatRatio(subject.perSecond / baseline.perSecond)}`,
        ),
      );
      const ratios = results.map(({ baseline, subject }) => subject.perSecond / baseline.perSecond);
      const perSecond = (values: Throughput[]) => `${median(values.map((value) => value.perSecond)).toFixed(1)} images/s`;
      return {
        name: `${benchmark.name}, ${PHOTO.width}×${PHOTO.height} JPEG, parallelism ${parallelism}`,
        baselineLabel: `sharp alone in a forked process: ${benchmark.inputEncoding === 'base64' ? 'base64 decode → ' : ''}autoOrient → resize inside 2000×2000 → JPEG (the service's JPEG_OUTPUT) + sha256, same bytes, same parallelism`,
        subjectLabel: benchmark.subjectLabel,
        baseline: perSecond(results.map((round) => round.baseline)),
        subject: perSecond(results.map((round) => round.subject)),
        ratio: median(ratios),
        ratioMeaning: 'subject uploads/s ÷ baseline images/s, median of the per-round ratios (higher is better)',
        target: { comparison: '>=', value: benchmark.target },
        details: [
          `${ROUNDS} alternating ${ROUND_MS / 1000} s rounds after a ${WARM_UP_MS / 1000} s warm-up of each side; ${parallelism} loops each (the core count, the service's sharp job limit)`,
          `the photo: ${formatCount(jpeg.length)} bytes, quality ${PHOTO.quality}; uploads go round-robin to ${PRODUCTS} products (bodies prebuilt, ${formatCount(bodies[0]!.length)} bytes each; keep-alive http.Agent), ${formatCount(results.reduce((sum, round) => sum + round.subject.operations, 0))} measured uploads in all`,
          `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
        ],
      };
    } finally {
      agent.destroy();
      await worker.stop();
      await service.stop();
    }
  });
}
