import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLmdbEventStore } from '../src/adapters/lmdb/lmdbEventStore.ts';
import { productMediaStream } from '../src/domain/gallery/galleryStream.ts';
import type { EventData } from '../src/ports/eventStore.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { formatCount } from './measure.ts';
import { benchId, imageUploadedEvent } from './sampleEvents.ts';
import { BENCH_AUTHORIZATION, startServiceChild } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const SUBSCRIBERS_SCRIPT = fileURLToPath(new URL('./sseSubscribers.ts', import.meta.url));
const SUBSCRIBERS = Number(process.env.BENCH_SSE_SUBSCRIBERS ?? 200);
const EVENTS = Number(process.env.BENCH_SSE_EVENTS ?? 20_000);
const PRODUCTS = 100;
const CHUNK = 20;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/**
 * Issue 18: 200 SSE consumers replay a 20,000-event history from its start, all at once; the
 * service's peak RSS against its idle RSS with that history loaded (target ≤ 2×). The service
 * runs in a child process (as `npm start`), the consumers in another.
 */
export async function sseReplayMemory(): Promise<BenchmarkResult> {
  return withTempDir('bench-sse-replay-', async (dir) => {
    const dataDir = join(dir, 'data');
    progress('sseReplayMemory', `writing ${formatCount(EVENTS)} gallery events`);
    const store = await openLmdbEventStore({ path: join(dataDir, 'events') });
    for (let from = 0; from < EVENTS; from += CHUNK) {
      const productPk = 1 + ((from / CHUNK) % PRODUCTS);
      const chunk: EventData[] = [];
      for (let n = from; n < Math.min(from + CHUNK, EVENTS); n++) chunk.push(imageUploadedEvent(productPk, 1 + n, benchId(0x77, n)));
      await store.appendToStream(productMediaStream(productPk), chunk);
    }
    await store.close();
    const service = await startServiceChild(dataDir, join(dir, 'service.log'));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const idle = await rssOf(service.pid);
      let peak = idle;
      const sampler = setInterval(() => void rssOf(service.pid).then((rss) => (peak = Math.max(peak, rss)), () => undefined), 100);
      progress('sseReplayMemory', `${SUBSCRIBERS} consumers replay the history`);
      const started = Date.now();
      const consumers = spawn(process.execPath, ['--import', 'tsx', SUBSCRIBERS_SCRIPT, `${service.url}/api/v1/media_events/stream`, BENCH_AUTHORIZATION, String(SUBSCRIBERS), String(EVENTS), '0'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      consumers.stdout.on('data', (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => consumers.once('exit', resolve));
      clearInterval(sampler);
      if (code !== 0) throw new Error(`the consumers exited with ${code}`);
      const report = JSON.parse(output.trim().split('\n').at(-1)!) as { delivered: number; duplicates: number; reconnects: number };
      const seconds = (Date.now() - started) / 1000;
      const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB RSS`;
      return {
        name: `SSE replay, ${formatCount(SUBSCRIBERS)} consumers × ${formatCount(EVENTS)}-event history`,
        baselineLabel: 'the service idle with that history (read models built)',
        subjectLabel: 'its peak while every consumer replays the history from the start',
        baseline: mib(idle),
        subject: mib(peak),
        ratio: peak / idle,
        ratioMeaning: 'peak RSS ÷ idle RSS (lower is better), RSS sampled every 100 ms',
        target: { comparison: '<=', value: 2 },
        details: [
          `${formatCount(report.delivered - report.duplicates)} of ${formatCount(SUBSCRIBERS * EVENTS)} deliveries in ${seconds.toFixed(1)} s; duplicates ${report.duplicates}; slow-consumer drops ${report.reconnects}`,
        ],
      };
    } finally {
      await service.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(sseReplayMemory);
