import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { fixedStepClock } from '../../src/app/clock.ts';
import { commandHandler } from '../../src/app/commandHandler.ts';
import { pkAllocator } from '../../src/app/pkAllocator.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import { webhookRegistry } from '../../src/webhooks/app/webhookRegistry.ts';
import type { WebhookLeaseHeld } from '../../src/webhooks/domain/webhookEvents.ts';
import { startWebhooks, type Webhooks } from '../../src/webhooks/webhooks.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver.ts';
import { appendGalleryEvents, freshProductPk, idsOf } from './webhookSupport.ts';

/**
 * Retry exhaustion end to end on one instance (the composition of `startWebhooks`, a real store,
 * a real receiver), with the wall clock moved on by the test: WEBHOOK_RETRY_HOURS after an event
 * first failed, the subscription is disabled with the reason; re-enabling it resumes from the
 * stored checkpoint, so nothing is lost. The whole process's `Date.now` moves (timers do not), so
 * the receiver's signature check (`standardwebhooks`, ±5 minutes) sees the same time as the sender.
 */
const test = suite<{ dir: string; eventStore: EventStore; webhooks?: Webhooks; receiver: WebhookReceiver }>('webhook retries exhausted: disabled with the reason, nothing lost on re-enabling');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'webhook-exhaustion-'));
  context.eventStore = await openLmdbEventStore({ path: join(context.dir, 'events') });
  context.receiver = await startWebhookReceiver();
});
const realNow = Date.now;
let offsetMs = 0;
test.before.each(() => {
  offsetMs = 0;
  Date.now = () => realNow() + offsetMs;
});
test.after.each(async ({ dir, eventStore, webhooks, receiver }) => {
  Date.now = realNow;
  await webhooks?.close();
  await receiver.stop();
  await eventStore.close();
  await rm(dir, { recursive: true, force: true });
});

const context = () => ({ actor: 'test', api: 'webhook' as const, correlationId: crypto.randomUUID(), causationId: crypto.randomUUID() });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('an event failing for WEBHOOK_RETRY_HOURS disables the subscription; re-enabled, it delivers from that event on', async (ctx) => {
  const { eventStore, receiver } = ctx;
  const clock = fixedStepClock();
  const handle = commandHandler({ eventStore, clock });
  const allocatePk = pkAllocator({ eventStore, clock });
  ctx.webhooks = startWebhooks({
    config: { retryHours: 1, allowedHosts: ['127.0.0.1'], timeoutMs: 2000, concurrency: 4, retryDelaysMs: [150], leaseMs: 2000, maxSubscriptions: 10 },
    eventStore, handle, allocatePk, clock, logger: silentLogger, skuOf: () => undefined, now: () => Date.now(),
  });
  const registry = webhookRegistry({ eventStore, handle, allocatePk });
  const created = await registry.create({ url: ctx.receiver.url, description: '', events: null, products: null }, context());
  receiver.secret = created.secret;

  const [stuck, other] = [freshProductPk(), freshProductPk()];
  const before = await appendGalleryEvents(eventStore, stuck, 2);
  await receiver.waitFor(() => receiver.acknowledged.length >= 2);
  // The receiver fails the next event of `stuck`; each failed attempt takes 25 minutes of the injected clock.
  let failing = true;
  receiver.answer = (received) => {
    if (!failing || received.body.stream !== `productMedia-${stuck}`) return 204;
    offsetMs += 25 * 60_000;
    return 500;
  };
  const stuckEvents = await appendGalleryEvents(eventStore, stuck, 3);
  const otherEvents = await appendGalleryEvents(eventStore, other, 3); // delivered while the stuck one waits to be retried

  let webhook = await registry.get(created.webhookPk);
  for (let i = 0; i < 300 && webhook?.status === 'active'; i++) {
    await wait(20);
    webhook = await registry.get(created.webhookPk);
  }
  assert.equal([webhook?.status, webhook?.disabledReason], ['disabled', `Event ${stuckEvents[0]!.id} at position ${stuckEvents[0]!.position} failed for 1 hours.`]);
  assert.is(receiver.attempts.filter((each) => each.id === stuckEvents[0]!.id).length, 4, 'attempts at 0, 25, 50 and 75 minutes');
  // Nothing later of the stuck product was sent; the other product was not held back.
  assert.equal(idsOf(receiver.acknowledged, stuck), before.map((each) => each.id));
  assert.equal(idsOf(receiver.acknowledged, other), otherEvents.map((each) => each.id));
  // The lease was given up with the checkpoint before the failing event.
  let lease = (await eventStore.readStream(`webhookDelivery-${created.webhookPk}`, { direction: 'backwards', maxCount: 1 }))[0]!.data as WebhookLeaseHeld['data'];
  for (let i = 0; i < 100 && Date.parse(lease.expiresAt) > Date.now(); i++) {
    await wait(20);
    lease = (await eventStore.readStream(`webhookDelivery-${created.webhookPk}`, { direction: 'backwards', maxCount: 1 }))[0]!.data as WebhookLeaseHeld['data'];
  }
  assert.ok(Date.parse(lease.expiresAt) <= Date.now(), 'released');
  assert.ok(lease.checkpoint !== null && lease.checkpoint >= before[1]!.position && lease.checkpoint < stuckEvents[0]!.position, `checkpoint ${lease.checkpoint}`);
  const attemptsWhenDisabled = receiver.attempts.length;
  await wait(300);
  assert.is(receiver.attempts.length, attemptsWhenDisabled, 'nothing sent while disabled');

  failing = false;
  await registry.change(created.webhookPk, { active: true }, context());
  await receiver.waitFor(() => idsOf(receiver.acknowledged, stuck).length >= 5);
  assert.equal(idsOf(receiver.acknowledged, stuck), [...before, ...stuckEvents].map((each) => each.id));
  // At least once: the other product's events after the checkpoint may come again, with their ids; never those before it.
  for (const id of idsOf(receiver.acknowledged, other)) assert.ok(otherEvents.some((each) => each.id === id));
  assert.is(receiver.acknowledged.filter((each) => before.some((event) => event.id === each.id)).length, 2, 'events before the checkpoint once');
});

test.run();
