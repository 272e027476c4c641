import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import type { SendResult } from '../../src/webhooks/adapters/webhookSender.ts';
import type { Attempt } from '../../src/webhooks/app/attemptLog.ts';
import type { HeldLease } from '../../src/webhooks/app/leaseJournal.ts';
import type { WebhookDeliverer } from '../../src/webhooks/app/webhookDeliverer.ts';
import { LEASE_MS, startDeliverer, wait, webhook } from './delivererHarness.ts';
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

test('renewals that each take 35 % of the lease keep it: every one is stored before the one before it expires', async (context) => {
  const leaseMs = 1000;
  const renewals: { started: number; stored: number }[] = [];
  let revision = 0;
  context.deliverer = startDeliverer(context.eventStore, {
    leaseMs,
    leases: {
      take: async () => ({ revision: 0, checkpoint: undefined, replayRevision: 0 }),
      renew: async (_pk: number, held: HeldLease) => {
        const started = Date.now();
        await wait(leaseMs * 0.35);
        renewals.push({ started, stored: Date.now() });
        return { ...held, revision: ++revision };
      },
    },
    send: async () => ({ status: 204, latencyMs: 1, error: undefined }),
  });
  await wait(leaseMs * 4);
  assert.ok(renewals.length >= 4, `${renewals.length} renewals`);
  for (let i = 1; i < renewals.length; i++) {
    const expiryBefore = renewals[i - 1]!.started + leaseMs;
    assert.ok(renewals[i]!.stored < expiryBefore, `renewal ${i} stored ${renewals[i]!.stored - expiryBefore} ms after the lease it renews expired`);
  }
});

test('a renewal that does not come back: no attempt starts in the last quarter of the lease, none is in flight when it could lapse', async (context) => {
  const product = freshProductPk();
  await appendGalleryEvents(context.eventStore, product, 20);
  let takenAt = 0;
  const attempts: { started: number; ended: number; aborted: boolean }[] = [];
  context.deliverer = startDeliverer(context.eventStore, {
    leases: {
      take: async () => {
        takenAt = Date.now();
        return { revision: 0, checkpoint: undefined, replayRevision: 0 };
      },
      renew: () => new Promise<undefined>(() => {}), // the store never answers
    },
    // A slow receiver: each attempt takes longer than the lease, unless aborted.
    send: (signal) => new Promise<SendResult>((resolve) => {
      const attempt = { started: Date.now(), ended: 0, aborted: false };
      attempts.push(attempt);
      const done = (status: number | undefined) => {
        attempt.ended = Date.now();
        attempt.aborted = status === undefined;
        resolve({ status, latencyMs: attempt.ended - attempt.started, error: status === undefined ? 'aborted' : undefined });
      };
      const timer = setTimeout(() => done(204), LEASE_MS * 2);
      signal.addEventListener('abort', () => (clearTimeout(timer), done(undefined)), { once: true });
    }),
  });
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
  let sent = 0;
  const recorded: Attempt[] = [];
  context.deliverer = startDeliverer(context.eventStore, {
    leases: {
      take: async () => ({ revision: 0, checkpoint: undefined, replayRevision: 0 }),
      // The first renewal answers only when the test says so; later ones at once.
      renew: async (_pk: number, held: HeldLease) => {
        if (revision === 0) await new Promise<void>((resolve) => (answerRenewal = resolve));
        return { ...held, revision: ++revision };
      },
    },
    // The first attempt gets no answer (a slow receiver); later ones are answered at once.
    send: (signal) => new Promise<SendResult>((resolve) => {
      if (++sent > 1) return resolve({ status: 204, latencyMs: 1, error: undefined });
      signal.addEventListener('abort', () => (withdrawn++, resolve({ status: undefined, latencyMs: 1, error: 'aborted' })), { once: true });
    }),
    record: (attempt) => recorded.push(attempt),
  });
  await wait(LEASE_MS * 1.2);
  assert.equal([withdrawn, recorded.length], [1, 0], 'the first attempt was withdrawn before its answer, and not recorded');
  answerRenewal!();
  for (let i = 0; i < 100 && recorded.length < written.length; i++) await wait(20);
  assert.equal(recorded.map((each) => [each.eventId, each.attempt, each.status]), written.map((each) => [each.id, 1, 204]));
});

test('a subscription given up (410) is disabled before its lease is released: no scan takes it back meanwhile', async (context) => {
  await appendGalleryEvents(context.eventStore, freshProductPk(), 1);
  const steps: string[] = [];
  let finishDisable: (() => void) | undefined;
  let takes = 0;
  context.deliverer = startDeliverer(context.eventStore, {
    leases: {
      take: async () => (takes++, { revision: 0, checkpoint: undefined, replayRevision: 0 }),
      renew: async (_pk: number, held: HeldLease) => held,
      release: async () => void steps.push('released'),
    },
    registry: {
      disable: async () => {
        steps.push('disabling');
        await new Promise<void>((resolve) => (finishDisable = resolve));
        steps.push('disabled');
        return webhook;
      },
    },
    send: async () => ({ status: 410, latencyMs: 1, error: 'The receiver answered 410.' }),
  });
  for (let i = 0; i < 500 && finishDisable === undefined; i++) await wait(10);
  assert.ok(finishDisable, 'given up');
  await wait(300); // scans every 100 ms while the disable is slow
  const meanwhile = [...steps];
  finishDisable();
  assert.equal([meanwhile, takes], [['disabling'], 1], 'neither taken again nor released while the disable is under way');
  for (let i = 0; i < 100 && steps.length < 3; i++) await wait(10);
  assert.equal(steps, ['disabling', 'disabled', 'released']);
});

test('a wall clock set forward an hour does not stop a holder whose lease is still young (its own lease runs on the monotonic clock)', async (context) => {
  const written = await appendGalleryEvents(context.eventStore, freshProductPk(), 3);
  const realNow = Date.now;
  const acknowledged: string[] = [];
  try {
    context.deliverer = startDeliverer(context.eventStore, {
      leaseMs: 2000,
      leases: {
        take: async () => ({ revision: 0, checkpoint: undefined, replayRevision: 0 }),
        renew: () => new Promise<undefined>(() => {}), // no renewal comes back: only the taken lease counts
      },
      send: async () => {
        if (acknowledged.length === 0) Date.now = () => realNow() + 3_600_000; // NTP steps the clock during the first attempt
        acknowledged.push('ack');
        return { status: 204, latencyMs: 1, error: undefined };
      },
    });
    for (let i = 0; i < 50 && acknowledged.length < written.length; i++) await wait(10);
  } finally {
    Date.now = realNow;
  }
  assert.is(acknowledged.length, written.length);
});

test.run();
