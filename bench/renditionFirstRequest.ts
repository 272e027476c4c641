import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePhotoJpeg } from '../test/support/imageFixtures.ts';
import { SERVICE_NODE_FLAGS } from '../src/nodeFlags.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { DELIVERY_PHOTO, seedDeliveryImage } from './mediaDelivery.ts';
import { alternateRounds, formatRatio, median, throughputFor, type Throughput } from './measure.ts';
import { startServiceChild, type ChildServer } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const WORKER = fileURLToPath(new URL('./renditionWorker.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUND_MS = 4000;
const WARM_UP_MS = 2000;
const ROUNDS = 4;
/** Images uploaded, each asked for once: more than the rounds can render at this machine's rate. */
const IMAGES = 1_200;
/** Extra node flags for the service, e.g. `BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'`. */
const SERVICE_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

function get(agent: Agent, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`${url} answered ${response.statusCode}`))));
    })
      .on('error', reject)
      .end();
  });
}

async function startWorker(imageFile: string, parallelism: number) {
  const child = fork(WORKER, [], {
    cwd: REPO_ROOT,
    execArgv: [...SERVICE_NODE_FLAGS, '--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '', IMAGE_FILE: imageFile, PARALLELISM: String(parallelism) },
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the rendition worker exited (${code}) before it was ready`)));
  });
  return {
    round: (durationMs: number) =>
      new Promise<Throughput>((resolve) => {
        child.once('message', (result) => resolve(result as Throughput));
        child.send({ durationMs });
      }),
    stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
  };
}

/**
 * Issue 17: first requests of renditions (1500×1000 JPEG → 640-wide WebP), each of another image,
 * through the whole service at parallelism = cores, against raw sharp doing the same resize and
 * encode on the same bytes at the same parallelism in a forked process. Target ≥ 0.9×.
 */
export async function renditionFirstRequest(): Promise<BenchmarkResult> {
  const parallelism = availableParallelism();
  const label = 'renditionFirstRequest';
  return withTempDir(`bench-${label}-`, async (dir) => {
    const jpeg = await makePhotoJpeg(DELIVERY_PHOTO);
    const imageFile = join(dir, 'photo.jpg');
    await writeFile(imageFile, jpeg);
    const service: ChildServer = await startServiceChild(join(dir, 'data'), join(dir, 'service.log'), SERVICE_NODE_ARGS);
    const worker = await startWorker(imageFile, parallelism);
    const agent = new Agent({ keepAlive: true, maxSockets: parallelism });
    try {
      progress(label, `uploading ${IMAGES} images`);
      const paths: string[] = [];
      for (let index = 0; index < IMAGES; index++) paths.push(await seedDeliveryImage(service, `BENCH-RENDITION-${index}`, jpeg));
      let next = 0;
      const firstRequest = () => {
        const path = paths[next++];
        if (path === undefined) throw new Error(`all ${IMAGES} images were rendered: raise IMAGES`);
        return get(agent, `${service.url}${path}?w=640&format=webp`);
      };
      const sides = (durationMs: number) => ({ baseline: () => worker.round(durationMs), subject: () => throughputFor(durationMs, parallelism, firstRequest) });
      progress(label, 'warm-up');
      await alternateRounds(1, sides(WARM_UP_MS));
      const results = await alternateRounds(ROUNDS, sides(ROUND_MS), ({ baseline, subject }, index) =>
        progress(label, `round ${index + 1}/${ROUNDS}: sharp ${baseline.perSecond.toFixed(1)}/s, service ${subject.perSecond.toFixed(1)}/s, ${formatRatio(subject.perSecond / baseline.perSecond)}`),
      );
      const ratios = results.map(({ baseline, subject }) => subject.perSecond / baseline.perSecond);
      const perSecond = (values: Throughput[]) => `${median(values.map((value) => value.perSecond)).toFixed(1)} renditions/s`;
      return {
        name: `First request of a rendition, ${DELIVERY_PHOTO.width}×${DELIVERY_PHOTO.height} JPEG → 640-wide WebP, parallelism ${parallelism}`,
        baselineLabel: 'sharp alone in a forked process: decode → resize 640 wide → WebP q80 + sha256, same bytes, same parallelism',
        subjectLabel: 'whole service: `GET /media/<key>?w=640&format=webp` of an image not rendered before (read the original, render, store, answer)',
        baseline: perSecond(results.map((round) => round.baseline)),
        subject: perSecond(results.map((round) => round.subject)),
        ratio: median(ratios),
        ratioMeaning: 'subject renditions/s ÷ baseline renditions/s, median of the per-round ratios (higher is better)',
        target: { comparison: '>=', value: 0.9 },
        details: [
          `${ROUNDS} alternating ${ROUND_MS / 1000} s rounds after a ${WARM_UP_MS / 1000} s warm-up of each side; ${parallelism} loops each (the core count, the service's image job limit); every request names another of ${IMAGES} uploaded copies of the photo`,
          `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
          "for orientation only (other hardware): imgproxy's published 2-vCPU figures for fit-512 renditions are about 80 JPEG, 22 WebP and 13 AVIF requests/s",
        ],
      };
    } finally {
      agent.destroy();
      await worker.stop();
      await service.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(renditionFirstRequest);
