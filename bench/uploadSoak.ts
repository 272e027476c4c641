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
const PARALLELISM = 4;
const PRODUCTS = 200;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Anonymous (heap, buffers, native) and file-backed (mapped LMDB files) parts of the RSS, in MiB. */
async function rssPartsOf(pid: number): Promise<string> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return `anon ${(kib('RssAnon') / 1024).toFixed(0)} MiB, file ${(kib('RssFile') / 1024).toFixed(0)} MiB`;
}

/** A multipart body of one image upload to `productPk`, built once. */
function uploadBody(productPk: number, jpeg: Buffer): { body: Buffer; contentType: string } {
  const boundary = `soak${productPk}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="product"\r\n\r\n${productPk}\r\n--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), jpeg, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Issue 18: RSS of the service after 15,000 image uploads against its RSS after the first 1,000
 * (target ≤ 1.3×): memory is bounded by design, not by luck of the garbage collector.
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
      let rssAtFirst = 0;
      let peak = 0;
      const loop = async () => {
        while (sent < UPLOADS) {
          const { body, contentType } = bodies[sent++ % PRODUCTS]!;
          const { status, text } = await postBytes(`${service.url}/api/v1/product_image/`, agent, { authorization: BENCH_AUTHORIZATION, 'content-type': contentType }, body);
          if (status !== 201) throw new Error(`upload answered ${status}: ${text}`);
          if (sent === FIRST) rssAtFirst = await rssOf(service.pid);
          if (sent % 1000 === 0) {
            const rss = await rssOf(service.pid);
            peak = Math.max(peak, rss);
            progress('uploadSoak', `${formatCount(sent)} uploads, RSS ${(rss / 2 ** 20).toFixed(0)} MiB (${await rssPartsOf(service.pid)})`);
          }
        }
      };
      await Promise.all(Array.from({ length: PARALLELISM }, loop));
      const rssAtEnd = await rssOf(service.pid);
      const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB RSS`;
      return {
        name: `Service RSS after ${formatCount(UPLOADS)} uploads (400×300 JPEG, parallelism ${PARALLELISM})`,
        baselineLabel: `the same service after its first ${formatCount(FIRST)} uploads`,
        subjectLabel: `after all ${formatCount(UPLOADS)} (peak sampled every 1,000: ${mib(peak)})`,
        baseline: mib(rssAtFirst),
        subject: mib(rssAtEnd),
        ratio: rssAtEnd / rssAtFirst,
        ratioMeaning: 'RSS at the end ÷ RSS after the first 1,000 uploads (lower is better)',
        target: { comparison: '<=', value: 1.3 },
        details: ['RSS from /proc/<pid>/status (VmRSS) of the service child started with the service\'s own Node flags and environment'],
      };
    } finally {
      agent.destroy();
      await service.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(uploadSoak);
