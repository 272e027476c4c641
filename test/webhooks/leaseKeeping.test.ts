import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import type { SendResult } from '../../src/webhooks/adapters/webhookSender.ts';
import type { Attempt } from '../../src/webhooks/app/attemptLog.ts';
import type { HeldLease, LeaseJournal } from '../../src/webhooks/app/leaseJournal.ts';
import { startWebhookDeliverer, type WebhookDeliverer } from '../../src/webhooks/app/webhookDeliverer.ts';
import type { Webhook, WebhookRegistry } from '../../src/webhooks/app/webhookRegistry.ts';
import { appendGalleryEvents, freshProductPk } from './webhookSupport.ts';

/**
 * How the deliverer keeps its lease when the store is slow, and how it stops sending when a
 * renewal does not come back in time (a journal stub stands for the store's lease stream).
 */
const test = suite<{ dir: string; eventStore: EventStore; deliverer?: WebhookDeliverer }>('the deliverer keeps its lease on a slow store and stops sending before it could lapse');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'lease-keeping-'));
  context.eventStore = await openLmdbEventStore({ path: join(context.dir, 'events') });
});
test.after.each(async (context) => {
  await context.deliverer?.stop();
  context.deliverer = undefined;
  await context.eventStore.close();
  await rm(context.dir, { recursive: true, force: true });
});

const LEASE_MS = 400;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const webhook: Webhook = {
  status: 'active', webhookPk: 1, url: 'http://receiver.test/', description: '', secret: 'whsec_AAAA', createdAt: '2024-01-01T00:00:00.000000Z',
  disabledReason: null, replays: 0, replayAfter: null, events: null, products: null,
};
const registry = { list: async () => [webhook], disable: async () => webhook } as unknown as WebhookRegistry;

function start(eventStore: EventStore, leases: Partial<LeaseJournal>, send: (signal: AbortSignal) => Promise<SendResult>, record: (attempt: Attempt) => void = () => {}, leaseMs = LEASE_MS): WebhookDeliverer {
  return startWebhookDeliverer({
    eventStore,
    registry,
    leases: { release: async () => {}, ...leases } as LeaseJournal,
    logger: silentLogger,
    leaseMs,
    checkpointMs: 50,
    scanMs: 100,
    engine: {
      send: (_url, _headers, _body, signal) => send(signal),
      record,
      skuOf: () => undefined,
      now: () => Date.now(),
      random: () => 0.5,
      concurrency: 4,
      maxPending: 1000,
      retryDelaysMs: [10],
      retryHours: 72,
    },
  });
}

test('renewals that each take 35 % of the lease keep it: every one is stored before the one before it expires', async (context) => {
  const leaseMs = 1000;
  const renewals: { started: number; stored: number }[] = [];
  let revision = 0;
  context.deliverer = start(context.eventStore, {
    take: async () => ({ revision: 0, checkpoint: undefined, replayRevision: 0 }),
    renew: async (_pk: number, held: HeldLease) => {
      const started = Date.now();
      await wait(leaseMs * 0.35);
      renewals.push({ started, stored: Date.now() });
      return { ...held, revision: ++revision };
    },
  }, async () => ({ status: 204, latencyMs: 1, error: undefined }), undefined, leaseMs);
  await wait(leaseMs * 4);
  assert.ok(renewals.length >= 4, `${renewals.length} renewals`);
  for (let i = 1; i < renewals.length; i++) {
    const expiryBefore = renewals[i - 1]!.started + leaseMs;
    assert.ok(renewals[i]!.stored < expiryBefore, `renewal ${i} stored ${renewals[i]!.stored - expiryBefore} ms after the lease it renews expired`);
  }
});

test('a renewal that does not come back: no attempt is in flight or starts after a quarter of the lease before it could lapse', async (context) => {
  const product = freshProductPk();
  await appendGalleryEvents(context.eventStore, product, 20);
  let takenAt = 0;
  const attempts: { started: number; ended: number; aborted: boolean }[] = [];
  context.deliverer = start(context.eventStore, {
    take: async () => {
      takenAt = Date.now();
      return { revision: 0, checkpoint: undefined, replayRevision: 0 };
    },
    renew: () => new Promise<undefined>(() => {}), // the store never answers
  }, (signal) => new Promise<SendResult>((resolve) => {
    // A slow receiver: each attempt takes longer than the lease, unless aborted.
    const attempt = { started: Date.now(), ended: 0, aborted: false };
    attempts.push(attempt);
    const done = (status: number | undefined) => {
      attempt.ended = Date.now();
      attempt.aborted = status === undefined;
      resolve({ status, latencyMs: attempt.ended - attempt.started, error: status === undefined ? 'aborted' : undefined });
    };
    const timer = setTimeout(() => done(204), LEASE_MS * 2);
    signal.addEventListener('abort', () => (clearTimeout(timer), done(undefined)), { once: true });
  }));
  await wait(LEASE_MS * 3);
  assert.ok(takenAt > 0 && attempts.length >= 1, 'delivery started');
  const sendUntil = takenAt + LEASE_MS * 0.75;
  for (const attempt of attempts) {
    assert.ok(attempt.started < sendUntil, `an attempt started ${attempt.started - sendUntil} ms after the lease was in doubt`);
    assert.ok(attempt.aborted && attempt.ended < takenAt + LEASE_MS, `an attempt still in flight ${attempt.ended - takenAt - LEASE_MS} ms after the lease could lapse`);
  }
});

test('attempts withdrawn while the lease was in doubt go first once it is renewed, and are not counted as failures', async (context) => {
  const product = freshProductPk();
  const written = await appendGalleryEvents(context.eventStore, product, 3);
  let answerRenewal: (() => void) | undefined;
  let revision = 0;
  let withdrawn = 0;
  const recorded: Attempt[] = [];
  context.deliverer = start(context.eventStore, {
    take: async () => ({ revision: 0, checkpoint: undefined, replayRevision: 0 }),
    // The first renewal answers only when the test says so; later ones at once.
    renew: async (_pk: number, held: HeldLease) => {
      if (revision === 0) await new Promise<void>((resolve) => (answerRenewal = resolve));
      return { ...held, revision: ++revision };
    },
  }, (signal) => new Promise<SendResult>((resolve) => {
    const timer = setTimeout(() => resolve({ status: 204, latencyMs: 1, error: undefined }), LEASE_MS);
    signal.addEventListener('abort', () => (clearTimeout(timer), withdrawn++, resolve({ status: undefined, latencyMs: 1, error: 'aborted' })), { once: true });
  }), (attempt) => recorded.push(attempt));
  await wait(LEASE_MS * 1.2);
  assert.equal([withdrawn, recorded.length], [1, 0], 'the first attempt was withdrawn before its answer, and not recorded');
  answerRenewal!();
  for (let i = 0; i < 100 && recorded.length < written.length; i++) await wait(20);
  assert.equal(recorded.map((each) => [each.eventId, each.attempt, each.status]), written.map((each) => [each.id, 1, 204]));
});

test.run();
