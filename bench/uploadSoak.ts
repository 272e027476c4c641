import { readFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { makePhotoJpeg } from '../test/support/imageFixtures.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { postBytes } from './imageUploadRequests.ts';
import { formatCount } from './measure.ts';
import { BENCH_AUTHORIZATION, startServiceChild } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const UPLOADS = Number(process.env.SOAK_UPLOADS ?? 15_000);
const FIRST = 1_000;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const PARALLELISM = 4;
const PRODUCTS = 200;

/** Resident memory of a process, in bytes: all of it, its anonymous part (heap, buffers, native allocations) and its file-backed part (mapped data files). */
async function memoryOf(pid: number): Promise<{ rss: number; anon: number; file: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const bytes = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: bytes('VmRSS'), anon: bytes('RssAnon'), file: bytes('RssFile') };
}

/** A multipart body of one image upload to `productPk`, built once. */
function uploadBody(productPk: number, jpeg: Buffer): { body: Buffer; contentType: string } {
  const boundary = `soak${productPk}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="product"\r\n\r\n${productPk}\r\n--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), jpeg, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Issue 18: the memory the service holds (anonymous RSS) after 15,000 image uploads against the
 * same after the first 1,000 (target ≤ 1.3×): bounded by design, not by luck of the garbage
 * collector. The file-backed part (the mapped data files) is reported beside it.
 */
export async function uploadSoak(): Promise<BenchmarkResult> {
  return withTempDir('bench-soak-', async (dir) => {
    const env = Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(' ').filter(Boolean).map((pair) => pair.split('=') as [string, string]));
    const service = await startServiceChild(join(dir, 'data'), join(dir, 'service.log'), (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), env);
    const agent = new Agent({ keepAlive: true, maxSockets: PARALLELISM });
    try {
      const jpeg = await makePhotoJpeg({ width: 400, height: 300 });
      const bodies: Array<{ body: Buffer; contentType: string }> = [];
      for (let index = 0; index < PRODUCTS; index++) {
        const response = await fetch(`${service.url}/api/v1/products/`, { method: 'POST', headers: { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' }, body: JSON.stringify({ sku: `SOAK-${index}` }) });
        bodies.push(uploadBody(((await response.json()) as { pk: number }).pk, jpeg));
      }
      let sent = 0;
      let atFirst = { rss: 0, anon: 0, file: 0 };
      let peakAnon = 0;
      const loop = async () => {
        while (sent < UPLOADS) {
          const { body, contentType } = bodies[sent++ % PRODUCTS]!;
          const { status, text } = await postBytes(`${service.url}/api/v1/product_image/`, agent, { authorization: BENCH_AUTHORIZATION, 'content-type': contentType }, body);
          if (status !== 201) throw new Error(`upload answered ${status}: ${text}`);
          if (sent === FIRST) atFirst = await memoryOf(service.pid);
          if (sent % 1000 === 0) {
            const memory = await memoryOf(service.pid);
            peakAnon = Math.max(peakAnon, memory.anon);
            progress('uploadSoak', `${formatCount(sent)} uploads: RSS ${mib(memory.rss)} (anonymous ${mib(memory.anon)}, file-backed ${mib(memory.file)})`);
          }
        }
      };
      await Promise.all(Array.from({ length: PARALLELISM }, loop));
      const atEnd = await memoryOf(service.pid);
      return {
        name: `Service memory after ${formatCount(UPLOADS)} uploads (400×300 JPEG, parallelism ${PARALLELISM})`,
        baselineLabel: `anonymous RSS of the same service after its first ${formatCount(FIRST)} uploads`,
        subjectLabel: `anonymous RSS after all ${formatCount(UPLOADS)} (peak sampled every 1,000: ${mib(peakAnon)})`,
        baseline: mib(atFirst.anon),
        subject: mib(atEnd.anon),
        ratio: atEnd.anon / atFirst.anon,
        ratioMeaning: 'anonymous RSS at the end ÷ after the first 1,000 uploads (lower is better)',
        target: { comparison: '<=', value: 1.3 },
        details: [
          `from /proc/<pid>/status of the service child (its own Node flags and environment): the anonymous part (RssAnon: V8 heap, buffers, libvips and other native allocations) is what the service holds; the file-backed part (RssFile) is the mapped LMDB data files, pages the kernel keeps cached and may reclaim, which grow with the data written`,
          `total RSS ${mib(atFirst.rss)} → ${mib(atEnd.rss)} (${(atEnd.rss / atFirst.rss).toFixed(2)}×), file-backed ${mib(atFirst.file)} → ${mib(atEnd.file)}`,
        ],
      };
    } finally {
      agent.destroy();
      await service.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(uploadSoak);
