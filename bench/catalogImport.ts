import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { JPEG_OUTPUT } from '../src/adapters/sharp/outputEncoding.ts';
import { makePhotoJpeg } from '../test/support/imageFixtures.ts';
import { startImageServer } from '../test/support/imageServer.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { elapsedMs, formatRatio, median } from './measure.ts';
import { startServiceChild } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CATALOG_BIN = fileURLToPath(new URL('../bin/catalog.mjs', import.meta.url));
const PHOTO = { width: 1500, height: 1000, quality: 90 };
/** Rows of the import file (`BENCH_IMPORT_ROWS` to shrink it on a busy machine). */
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 500);
const ROUNDS = Number(process.env.BENCH_IMPORT_ROUNDS ?? 2);
/** Rows per product: a gallery of a few images each, as a catalog import has. */
const IMAGES_PER_PRODUCT = 5;
const MAX_INPUT_PIXELS = 64_000_000;
/** Extra node flags for the service and the CLI, e.g. `BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'`. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * `count` different JPEGs that cost the same to process: one photo, each copy with its own
 * comment segment after SOI (the service strips metadata, so only the hash differs).
 */
function photoVariants(photo: Buffer, count: number): Buffer[] {
  return Array.from({ length: count }, (_, index) => {
    const text = Buffer.from(`catalog import bench ${index}`, 'latin1');
    const segment = Buffer.alloc(4 + text.length);
    segment.writeUInt16BE(0xfffe, 0);
    segment.writeUInt16BE(text.length + 2, 2);
    text.copy(segment, 4);
    return Buffer.concat([photo.subarray(0, 2), segment, photo.subarray(2)]);
  });
}

/** The baseline: the same image work as an upload (orient, fit in 2000×2000, JPEG, sha256) on every file, `parallelism` at a time. */
async function sharpPipeline(files: readonly Buffer[], parallelism: number): Promise<number> {
  sharp.cache(false);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const input = files[next++]!;
      const data = await sharp(input, { failOn: 'warning', limitInputPixels: MAX_INPUT_PIXELS })
        .autoOrient()
        .resize({ width: 2000, height: 2000, fit: 'inside', withoutEnlargement: true })
        .jpeg(JPEG_OUTPUT)
        .toBuffer();
      createHash('sha256').update(data).digest('hex');
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  return elapsedMs(started);
}

/** `node bin/catalog.mjs import …` as an operator runs it; resolves with its wall time and output. */
function runCatalogImport(file: string, url: string, concurrency: number, logFile: string): Promise<{ ms: number; output: string }> {
  const started = performance.now();
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...NODE_ARGS, CATALOG_BIN, 'import', file, '--url', url, '--token', 'bench-key-0123456789abcdef', '--user', 'bench', '--concurrency', String(concurrency)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const output = readFileSync(logFile, 'utf8');
      if (code !== 0) reject(new Error(`catalog import exited ${code}:\n${output.slice(-2000)}`));
      else resolve({ ms: elapsedMs(started), output });
    }),
  );
}

/** Issue 21: `catalog import` of 500 photo rows against sharp alone (≥ 0.8×), and its re-run (≤ 10 % of the first, adds nothing). */
export async function catalogImport(): Promise<BenchmarkResult[]> {
  const parallelism = availableParallelism();
  const label = 'catalogImport';
  return withTempDir('bench-catalog-import-', async (dir) => {
    const files = photoVariants(await makePhotoJpeg(PHOTO), ROWS);
    const images = await startImageServer(new Map(files.map((file, index) => [`${index}.jpg`, file])));
    const csv = join(dir, 'catalog.csv');
    await writeFile(csv, ['sku,name,image,order', ...files.map((_, index) => `IMPORT-${Math.floor(index / IMAGES_PER_PRODUCT)},Product ${Math.floor(index / IMAGES_PER_PRODUCT)},${images.base}/${index}.jpg,${index % IMAGES_PER_PRODUCT}`)].join('\n'));
    const rounds: { baselineMs: number; firstMs: number; secondMs: number }[] = [];
    try {
      progress(label, 'warm-up of the sharp pipeline');
      await sharpPipeline(files.slice(0, 20), parallelism);
      for (let round = 0; round < ROUNDS; round++) {
        const dataDir = join(dir, `data-${round}`);
        await mkdir(dataDir);
        const service = await startServiceChild(dataDir, join(dir, `service-${round}.log`), NODE_ARGS);
        try {
          const baselineMs = await sharpPipeline(files, parallelism);
          const first = await runCatalogImport(csv, service.url, parallelism * 2, join(dir, `import-${round}-1.log`));
          if (!first.output.includes(`${ROWS} images added, 0 already there, 0 failed`)) throw new Error(`first import: ${first.output.slice(-500)}`);
          const second = await runCatalogImport(csv, service.url, parallelism * 2, join(dir, `import-${round}-2.log`));
          if (!second.output.includes(`0 images added, ${ROWS} already there, 0 failed`)) throw new Error(`second import added something: ${second.output.slice(-500)}`);
          rounds.push({ baselineMs, firstMs: first.ms, secondMs: second.ms });
          progress(label, `round ${round + 1}/${ROUNDS}: sharp ${(baselineMs / 1000).toFixed(1)} s, import ${(first.ms / 1000).toFixed(1)} s (${formatRatio(baselineMs / first.ms)}), re-run ${(second.ms / 1000).toFixed(1)} s (${formatRatio(second.ms / first.ms)})`);
        } finally {
          await service.stop();
        }
      }
    } finally {
      await images.close();
    }
    const throughput = rounds.map((round) => round.baselineMs / round.firstMs);
    const rerun = rounds.map((round) => round.secondMs / round.firstMs);
    const seconds = (values: number[]) => `${(median(values) / 1000).toFixed(1)} s`;
    const common = [
      `${ROUNDS} rounds, each on a fresh service (\`node --import tsx src/main.ts\`, LMDB, files) and a fresh data dir: sharp alone, then \`node bin/catalog.mjs import\` of the file, then the same command again`,
      `${ROWS} rows over ${Math.ceil(ROWS / IMAGES_PER_PRODUCT)} new products (${IMAGES_PER_PRODUCT} images each), ${PHOTO.width}×${PHOTO.height} JPEGs of ${files[0]!.length} bytes served by a local HTTP server; --concurrency ${parallelism * 2} (the service runs at most ${parallelism} sharp jobs at once, the baseline ${parallelism})`,
    ];
    return [
      {
        name: `catalog import, ${ROWS} rows of ${PHOTO.width}×${PHOTO.height} JPEGs, parallelism ${parallelism}`,
        baselineLabel: 'sharp alone in the bench process: autoOrient → resize inside 2000×2000 → JPEG (JPEG_OUTPUT) + sha256 on the same files, same parallelism',
        subjectLabel: 'the `catalog` CLI end to end: products created, images downloaded, hashed and uploaded (REST multipart with label, roles and the content-hash file name), summary',
        baseline: seconds(rounds.map((round) => round.baselineMs)),
        subject: seconds(rounds.map((round) => round.firstMs)),
        ratio: median(throughput),
        ratioMeaning: 'baseline time ÷ import time (throughput ratio), median over the rounds (higher is better)',
        target: { comparison: '>=', value: 0.8 },
        details: [...common, `per-round ratios: ${throughput.map(formatRatio).join(', ')}`],
      },
      {
        name: `catalog import re-run of the same ${ROWS} rows`,
        baselineLabel: 'the first import of the file',
        subjectLabel: 'the same command again: every image downloaded and hashed, found in its product, nothing added',
        baseline: seconds(rounds.map((round) => round.firstMs)),
        subject: seconds(rounds.map((round) => round.secondMs)),
        ratio: median(rerun),
        ratioMeaning: 're-run time ÷ first run time, median over the rounds (lower is better)',
        target: { comparison: '<=', value: 0.1 },
        details: [...common, `per-round ratios: ${rerun.map(formatRatio).join(', ')}; each re-run checked to report 0 images added`],
      },
    ];
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(catalogImport);
