import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import type { EventStore, Position } from '../../src/ports/eventStore.ts';
import type { SendResult } from '../../src/webhooks/adapters/webhookSender.ts';
import { subscriptionDelivery, type SubscriptionDeliveryDeps } from '../../src/webhooks/app/subscriptionDelivery.ts';
import { appendGalleryEvents, QUICK_DELIVERY } from './webhookSupport.ts';

interface Context {
  dir: string;
  eventStore: EventStore;
}

const test = suite<Context>('one subscription delivery: concurrency, checkpoint, giving up');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'webhook-delivery-'));
  context.eventStore = await openLmdbEventStore({ path: join(context.dir, 'events') });
});
test.after.each(async ({ dir, eventStore }) => {
  await eventStore.close();
  await rm(dir, { recursive: true, force: true });
});

const target = () => ({ webhookPk: 1, url: 'http://receiver.test/', secret: 'whsec_AAAA', filter: {} });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deps(eventStore: EventStore, overrides: Partial<SubscriptionDeliveryDeps>): SubscriptionDeliveryDeps {
  return {
    eventStore,
    send: async () => ({ status: 204, latencyMs: 1, error: undefined }),
    record: () => {},
    ...QUICK_DELIVERY,
    onCheckpoint: () => {},
    onGiveUp: () => {},
    ...overrides,
  };
}

test('no more than `concurrency` products are in flight at once, and each product one at a time', async ({ eventStore }) => {
  for (let product = 1; product <= 10; product++) await appendGalleryEvents(eventStore, product, 3);
  let inFlight = 0;
  let most = 0;
  const perStream = new Map<string, number>();
  let sent = 0;
  const delivery = subscriptionDelivery(target, undefined, deps(eventStore, {
    concurrency: 3,
    send: async (_url, _headers, body): Promise<SendResult> => {
      const { stream } = JSON.parse(body) as { stream: string };
      perStream.set(stream, (perStream.get(stream) ?? 0) + 1);
      assert.is(perStream.get(stream), 1, `${stream} twice at once`);
      most = Math.max(most, ++inFlight);
      await wait(5);
      inFlight--;
      perStream.set(stream, perStream.get(stream)! - 1);
      sent++;
      return { status: 200, latencyMs: 5, error: undefined };
    },
  }));
  delivery.notify();
  for (let i = 0; i < 200 && sent < 30; i++) await wait(10);
  delivery.stop();
  assert.is(sent, 30);
  assert.is(most, 3);
});

test('the checkpoint stays before an unacknowledged event while later ones of other products are acknowledged', async ({ eventStore }) => {
  const [stuck] = await appendGalleryEvents(eventStore, 1, 1);
  const others = await appendGalleryEvents(eventStore, 2, 3);
  const checkpoints: (Position | undefined)[] = [];
  const delivery = subscriptionDelivery(target, undefined, deps(eventStore, {
    retryDelaysMs: [60_000],
    send: async (_url, headers) => ({ status: headers['webhook-id'] === stuck!.id ? 503 : 200, latencyMs: 1, error: undefined }),
    onCheckpoint: (position) => checkpoints.push(position),
  }));
  delivery.notify();
  await wait(100);
  assert.is(delivery.pending(), 4, 'the stuck event and the acknowledged ones after it are held');
  assert.is(delivery.checkpoint(), undefined, 'nothing before the stuck event was read');
  delivery.stop();
  // Started after the stuck event: everything read is acknowledged, the checkpoint is the last one read.
  const after = subscriptionDelivery(target, stuck!.position, deps(eventStore, { onCheckpoint: (position) => checkpoints.push(position) }));
  after.notify();
  await wait(100);
  after.stop();
  assert.is(after.checkpoint(), others[2]!.position);
});

test('an event failing for WEBHOOK_RETRY_HOURS gives up with the reason; 410 gives up at once', async ({ eventStore }) => {
  const [event] = await appendGalleryEvents(eventStore, 1, 1);
  let now = Date.parse('2024-01-01T00:00:00Z');
  const reasons: string[] = [];
  let attempts = 0;
  const delivery = subscriptionDelivery(target, undefined, deps(eventStore, {
    retryHours: 1,
    retryDelaysMs: [5],
    now: () => now,
    send: async () => {
      attempts++;
      now += 25 * 60_000; // each failed attempt "takes" 25 minutes of the injected clock
      return { status: 500, latencyMs: 1, error: 'The receiver answered 500.' };
    },
    onGiveUp: (reason) => reasons.push(reason),
  }));
  delivery.notify();
  for (let i = 0; i < 100 && reasons.length === 0; i++) await wait(10);
  delivery.stop();
  assert.is(attempts, 4);
  assert.equal(reasons, [`Event ${event!.id} at position ${event!.position} failed for 1 hours.`]);

  const gone: string[] = [];
  const second = subscriptionDelivery(target, undefined, deps(eventStore, { send: async () => ({ status: 410, latencyMs: 1, error: 'x' }), onGiveUp: (reason) => gone.push(reason) }));
  second.notify();
  for (let i = 0; i < 100 && gone.length === 0; i++) await wait(10);
  second.stop();
  assert.equal(gone, ['The receiver answered 410 Gone.']);
});

test.run();
