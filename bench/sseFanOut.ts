import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { productMediaStream } from '../src/domain/gallery/galleryStream.ts';
import type { EventData } from '../src/ports/eventStore.ts';
import { startService } from '../src/service.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { formatCount, formatRatio } from './measure.ts';
import { benchId, imageUploadedEvent } from './sampleEvents.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const SUBSCRIBERS_SCRIPT = fileURLToPath(new URL('./sseSubscribers.ts', import.meta.url));
const KEY = 'bench-key-0123456789abcdef';
const PRODUCTS = 100;
const CHUNK = 20;

const sizeFromEnv = (name: string, fallback: number) => {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
};

interface SubscribersReport {
  delivered: number;
  duplicates: number;
  reconnects: number;
  lastReceipt: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * SSE fan-out: `BENCH_SSE_SUBSCRIBERS` (200) consumers of `GET /api/v1/media_events/stream`, in
 * their own process, each receive every one of `BENCH_SSE_EVENTS` (10,000) gallery events
 * appended while they listen. Figures: events/s delivered (all consumers together) and the p99
 * delay from append to receipt. The issue sets no ratio target: the ratio is deliveries ÷
 * expected deliveries (subscribers × events, each exactly once), target ≥ 1.
 */
export async function sseFanOut(): Promise<BenchmarkResult> {
  const subscribers = sizeFromEnv('BENCH_SSE_SUBSCRIBERS', 200);
  const events = sizeFromEnv('BENCH_SSE_EVENTS', 10_000);
  return withTempDir('bench-sse-', async (dataDir) => {
    const config = loadConfig({ PORT: '1', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'http://127.0.0.1', LOG_LEVEL: 'silent' });
    const service = await startService({ config: { ...config, port: 0, host: '127.0.0.1' }, users: [{ name: 'bench', key: KEY }], logger: silentLogger });
    try {
      const consumers = spawn(process.execPath, ['--import', 'tsx', SUBSCRIBERS_SCRIPT, `${service.url}/api/v1/media_events/stream`, `Token ${KEY}`, String(subscribers), String(events)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      consumers.stdout.on('data', (chunk) => (output += chunk));
      const connected = new Promise<void>((resolve) => consumers.stderr.on('data', (chunk) => String(chunk).includes('connected') && resolve()));
      const exited = new Promise<number | null>((resolve) => consumers.once('exit', resolve));
      await connected;
      // Give the connections time to be accepted and subscribed before the first append.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      progress('sseFanOut', `${subscribers} subscribers connected; appending ${formatCount(events)} events`);
      const firstAppend = Date.now();
      for (let from = 0; from < events; from += CHUNK) {
        const productPk = 1 + ((from / CHUNK) % PRODUCTS);
        const occurredAt = new Date().toISOString().replace('Z', '000Z');
        const chunk: EventData[] = [];
        for (let n = from; n < Math.min(from + CHUNK, events); n++) {
          const event = imageUploadedEvent(productPk, 1 + n, benchId(0x55, n));
          chunk.push({ ...event, metadata: { ...(event.metadata as object), occurredAt } });
        }
        await service.eventStore.appendToStream(productMediaStream(productPk), chunk);
      }
      const appendedMs = Date.now() - firstAppend;
      progress('sseFanOut', `appended in ${appendedMs} ms; waiting for every delivery`);
      const code = await exited;
      if (code !== 0) throw new Error(`the subscribers exited with ${code}`);
      const report = JSON.parse(output.trim().split('\n').at(-1)!) as SubscribersReport;
      const expected = subscribers * events;
      const seconds = (report.lastReceipt - firstAppend) / 1000;
      const perSecond = report.delivered / seconds;
      return {
        name: `SSE fan-out, ${formatCount(subscribers)} subscribers × ${formatCount(events)} events`,
        baselineLabel: `expected deliveries: every event to every subscriber exactly once (${formatCount(subscribers)} × ${formatCount(events)})`,
        subjectLabel: 'deliveries counted by the subscribers (duplicates excluded)',
        baseline: formatCount(expected),
        subject: `${formatCount(report.delivered - report.duplicates)}: ${formatCount(perSecond)} events/s delivered, p99 delay ${report.p99} ms`,
        ratio: (report.delivered - report.duplicates) / expected,
        ratioMeaning: 'deliveries ÷ expected deliveries (1 = every subscriber got every event; the figures that matter are events/s and the p99 delay)',
        target: { comparison: '>=', value: 1 },
        details: [
          `service in-process on the LMDB engine (the gallery projection runs too); ${formatCount(subscribers)} consumers in a separate process over loopback HTTP/1.1, each parsing its stream; events appended in chunks of ${CHUNK} to ${PRODUCTS} \`productMedia-<pk>\` streams (ImageUploaded, ~680 bytes each), as fast as the store takes them (${appendedMs} ms for all)`,
          `delivery: ${formatCount(perSecond)} events/s over ${seconds.toFixed(1)} s from the first append to the last receipt; delay append → receipt p50 ${report.p50} ms, p99 ${report.p99} ms, max ${report.max} ms (ms resolution, one clock)`,
          `slow-consumer drops (server buffer over FEED_MAX_BUFFERED_BYTES, then resumed with Last-Event-ID): ${report.reconnects}; duplicates seen: ${report.duplicates}; ratio ${formatRatio((report.delivered - report.duplicates) / expected)}`,
        ],
      };
    } finally {
      await service.close();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(() => sseFanOut());
