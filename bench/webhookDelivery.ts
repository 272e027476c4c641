import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { loadConfig } from '../src/config/config.ts';
import { productMediaStream } from '../src/domain/gallery/galleryStream.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { startService, type RunningService } from '../src/service.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { formatCount } from './measure.ts';
import { benchId, imageUploadedEvent } from './sampleEvents.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

const KEY = 'bench-key-0123456789abcdef';
const PRODUCTS = 50;

const sizeFromEnv = (name: string, fallback: number) => {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
};

/** A fast receiver: answers 204 at once and notes when each webhook-id arrived (and the product order it saw). */
async function fastReceiver() {
  const arrivals = new Map<string, number>();
  let duplicates = 0;
  let outOfOrder = 0;
  const lastRevision = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      if (arrivals.has(id)) duplicates++;
      else arrivals.set(id, Date.now());
      const { stream, revision } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream: string; revision: number };
      if ((lastRevision.get(stream) ?? -1) >= revision) outOfOrder++;
      lastRevision.set(stream, revision);
      res.statusCode = 204;
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    duplicates: () => duplicates,
    outOfOrder: () => outOfOrder,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

type Receiver = Awaited<ReturnType<typeof fastReceiver>>;

async function withService<T>(run: (service: RunningService) => Promise<T>): Promise<T> {
  return withTempDir('bench-webhooks-', async (dataDir) => {
    const config = loadConfig({ PORT: '1', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'http://127.0.0.1', LOG_LEVEL: 'silent', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    const service = await startService({ config: { ...config, port: 0, host: '127.0.0.1' }, users: [{ name: 'bench', key: KEY }], logger: silentLogger });
    try {
      return await run(service);
    } finally {
      await service.close();
    }
  });
}

async function subscribe(service: RunningService, receiver: Receiver): Promise<void> {
  const response = await fetch(`${service.url}/api/v1/webhooks/`, {
    method: 'POST',
    headers: { authorization: `Token ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url }),
  });
  if (response.status !== 201) throw new Error(`subscription refused: ${response.status} ${await response.text()}`);
}

async function until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

/**
 * Fan-out: `BENCH_WEBHOOK_SUBSCRIPTIONS` (10) subscriptions, each to its own fast receiver,
 * `BENCH_WEBHOOK_EVENTS` (1,000) gallery events appended at `BENCH_WEBHOOK_RATE` (200) events/s.
 * Ratio: p99 delay from append to receipt ÷ 100 ms (target ≤ 1), provided every delivery was made.
 */
export async function webhookFanOut(): Promise<BenchmarkResult> {
  const subscriptions = sizeFromEnv('BENCH_WEBHOOK_SUBSCRIPTIONS', 10);
  const events = sizeFromEnv('BENCH_WEBHOOK_EVENTS', 1_000);
  const rate = sizeFromEnv('BENCH_WEBHOOK_RATE', 200);
  return withService(async (service) => {
    const receivers = await Promise.all(Array.from({ length: subscriptions }, fastReceiver));
    try {
      for (const receiver of receivers) await subscribe(service, receiver);
      await until(() => service.webhooks.deliverer.delivering().length === subscriptions, 10_000);
      progress('webhookFanOut', `${subscriptions} subscriptions delivering; appending ${events} events at ${rate}/s`);
      const appendedAt = new Map<string, number>();
      // The floor under the webhook delay on this machine now: the same appends seen by a bare `$all` subscriber.
      const seenAt = new Map<string, number>();
      const [last] = await service.eventStore.readAll({ direction: 'backwards', maxCount: 1 });
      const floor = service.eventStore.subscribeToAll(last ? { fromPosition: last.position } : {}).subscribe((message) => {
        if (message.kind === 'event') seenAt.set(message.event.id, Date.now());
      });
      const started = Date.now();
      for (let n = 0; n < events; n++) {
        const due = started + (n * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const productPk = 1 + (n % PRODUCTS);
        const event = imageUploadedEvent(productPk, 1 + n, benchId(0x77, n));
        appendedAt.set(event.id, Date.now());
        await service.eventStore.appendToStream(productMediaStream(productPk), [event]);
      }
      const complete = await until(() => receivers.every((receiver) => receiver.arrivals.size >= events), 30_000);
      floor.unsubscribe();
      const floorDelays = [...seenAt].filter(([id]) => appendedAt.has(id)).map(([id, at]) => at - appendedAt.get(id)!);
      const delays = receivers.flatMap((receiver) => [...receiver.arrivals].map(([id, at]) => at - (appendedAt.get(id) ?? at)));
      const delivered = receivers.reduce((sum, receiver) => sum + receiver.arrivals.size, 0);
      const duplicates = receivers.reduce((sum, receiver) => sum + receiver.duplicates(), 0);
      const outOfOrder = receivers.reduce((sum, receiver) => sum + receiver.outOfOrder(), 0);
      const p50 = percentile(delays, 50);
      const p99 = percentile(delays, 99);
      const expected = subscriptions * events;
      return {
        name: `Webhook fan-out, ${subscriptions} subscriptions × ${formatCount(events)} events at ${rate}/s`,
        baselineLabel: 'the p99 target: 100 ms from append to receipt',
        subjectLabel: 'p99 delay from append to receipt',
        baseline: '100 ms',
        subject: `${p99} ms (p50 ${p50} ms); ${formatCount(delivered)} of ${formatCount(expected)} delivered`,
        ratio: complete && delivered === expected ? p99 / 100 : Number.POSITIVE_INFINITY,
        ratioMeaning: 'p99 delay ÷ 100 ms (infinite when a delivery is missing)',
        target: { comparison: '<=', value: 1 },
        details: [
          `service in-process on the LMDB engine; ${subscriptions} receivers in the same process (answer 204 at once) over loopback HTTP/1.1 keep-alive; events appended one at a time, paced at ${rate}/s, to ${PRODUCTS} \`productMedia-<pk>\` streams (ImageUploaded)`,
          `deliveries ${formatCount(delivered)} of ${formatCount(expected)}, duplicates ${duplicates}, out of per-product order ${outOfOrder}; delay p50 ${p50} ms, p99 ${p99} ms, max ${Math.max(0, ...delays)} ms`,
          `floor measured in the same run: a bare \`$all\` subscriber sees the same appends after p50 ${percentile(floorDelays, 50)} ms, p99 ${percentile(floorDelays, 99)} ms (the durable append and the live subscription, before any webhook work); load average at the end ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
        ],
      };
    } finally {
      await Promise.all(receivers.map((receiver) => receiver.stop()));
    }
  });
}

/**
 * Throughput to one fast receiver with per-product order: a backlog of `BENCH_WEBHOOK_BACKLOG`
 * (5,000) events over 50 products, replayed to a new subscription, timed from the replay request
 * to the last receipt. Ratio: events/s ÷ 1,000 (target ≥ 1).
 */
export async function webhookThroughput(): Promise<BenchmarkResult> {
  const events = sizeFromEnv('BENCH_WEBHOOK_BACKLOG', 5_000);
  return withService(async (service) => {
    const receiver = await fastReceiver();
    try {
      // The backlog is in the store before delivery starts, so the figure is delivery alone: a
      // replay from the position before it hands the whole backlog to the deliverer at once.
      const [before] = await service.eventStore.readAll({ direction: 'backwards', maxCount: 1 });
      const appendStarted = Date.now();
      for (let from = 0; from < events; from += 20) {
        const productPk = 1 + ((from / 20) % PRODUCTS);
        const chunk = Array.from({ length: Math.min(20, events - from) }, (_, k) => imageUploadedEvent(productPk, 1 + from + k, benchId(0x78, from + k)));
        await service.eventStore.appendToStream(productMediaStream(productPk), chunk);
      }
      const appendedMs = Date.now() - appendStarted;
      await subscribe(service, receiver);
      await until(() => service.webhooks.deliverer.delivering().length === 1, 10_000);
      const started = Date.now();
      const replay = await fetch(`${service.url}/api/v1/webhooks/1/replay/`, {
        method: 'POST',
        headers: { authorization: `Token ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ after: before?.position ?? '0' }),
      });
      if (replay.status !== 202) throw new Error(`replay refused: ${replay.status}`);
      const complete = await until(() => receiver.arrivals.size >= events, 60_000);
      const last = Math.max(...receiver.arrivals.values());
      const perSecond = (receiver.arrivals.size / (last - started)) * 1000;
      return {
        name: `Webhook throughput, one fast receiver, ${formatCount(events)} events over ${PRODUCTS} products`,
        baselineLabel: 'the target: 1,000 events/s',
        subjectLabel: 'events/s delivered in per-product order',
        baseline: '1,000 events/s',
        subject: `${formatCount(perSecond)} events/s`,
        ratio: complete && receiver.outOfOrder() === 0 ? perSecond / 1000 : 0,
        ratioMeaning: 'events/s ÷ 1,000 (0 when an event is missing or out of order)',
        target: { comparison: '>=', value: 1 },
        details: [
          `backlog appended beforehand in ${appendedMs} ms (chunks of 20 per product), then replayed from before it and timed from the replay request to the last receipt; delivered by WEBHOOK_CONCURRENCY=8 products in flight; duplicates ${receiver.duplicates()}, out of order ${receiver.outOfOrder()}`,
        ],
      };
    } finally {
      await receiver.stop();
    }
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(async () => [await webhookFanOut(), await webhookThroughput()]);
