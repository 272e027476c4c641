import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver.ts';
import { appendGalleryEvents, freshProductPk, idsOf, inProductOrder } from './webhookSupport.ts';

interface Context {
  api: TestService;
  receiver: WebhookReceiver;
  /** Creates a subscription to the receiver; returns its pk. */
  subscribe(body?: Record<string, unknown>): Promise<number>;
}

const test = suite<Context>('webhooks deliver every gallery event, signed, once, in per-product order (one instance)');

test.before(async (context) => {
  context.api = await startTestService({
    env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_DELAYS_MS: '30,60,90', WEBHOOK_LEASE_MS: '1000', WEBHOOK_TIMEOUT_MS: '500' },
  });
});
test.after(async ({ api }) => {
  await api?.stop();
});
test.before.each(async (context) => {
  context.receiver = await startWebhookReceiver();
  context.subscribe = async (body = {}) => {
    const response = await context.api.request('POST', '/api/v1/webhooks/', { body: { url: context.receiver.url, ...body } });
    assert.is(response.status, 201, response.text);
    context.receiver.secret = response.body.secret;
    return response.body.pk;
  };
});
test.after.each(async ({ api, receiver }) => {
  // Subscriptions of earlier tests would keep retrying against stopped receivers.
  const list = await api.request('GET', '/api/v1/webhooks/');
  for (const webhook of list.body.results) await api.request('DELETE', `/api/v1/webhooks/${webhook.pk}/`);
  await receiver.stop();
});

test('a receiver verifying with standardwebhooks gets a scripted day of changes exactly once, in per-product order', async ({ api, receiver, subscribe }) => {
  await subscribe();
  const products = [freshProductPk(), freshProductPk(), freshProductPk()];
  const written = (await Promise.all(products.map((pk) => appendGalleryEvents(api.service.eventStore, pk, 40)))).flat();
  await receiver.waitFor(() => receiver.acknowledged.length >= written.length);
  await new Promise((resolve) => setTimeout(resolve, 200)); // nothing more arrives
  assert.is(receiver.rejected, 0);
  assert.is(receiver.acknowledged.length, written.length);
  assert.equal(new Set(receiver.acknowledged.map((each) => each.id)), new Set(written.map((each) => each.id)));
  assert.ok(inProductOrder(receiver.acknowledged));
  const first = receiver.acknowledged.find((each) => each.id === written[0]!.id)!;
  assert.equal(Object.keys(first.body).sort(), ['data', 'metadata', 'position', 'product', 'revision', 'sku', 'stream', 'type']);
  assert.is(first.body.position, written[0]!.position);
  assert.is(first.body.type, 'ImageReordered');
});

test('an event whose first 3 attempts fail arrives on the 4th, and nothing later of its product before it', async ({ api, receiver, subscribe }) => {
  const webhookPk = await subscribe();
  const [slow, other] = [freshProductPk(), freshProductPk()];
  let failing = '';
  receiver.answer = (received, attempt) => (received.id === failing && attempt <= 3 ? 500 : 200);
  const slowEvents = await appendGalleryEvents(api.service.eventStore, slow, 1);
  failing = slowEvents[0]!.id;
  slowEvents.push(...(await appendGalleryEvents(api.service.eventStore, slow, 3)));
  const otherEvents = await appendGalleryEvents(api.service.eventStore, other, 3);
  await receiver.waitFor(() => receiver.acknowledged.length >= 7);
  assert.equal(idsOf(receiver.acknowledged, slow), slowEvents.map((each) => each.id));
  assert.equal(idsOf(receiver.acknowledged, other), otherEvents.map((each) => each.id));
  assert.is(receiver.attempts.filter((each) => each.id === failing).length, 4);
  // The other product was not held back by the failing one.
  const failingAck = receiver.acknowledged.findIndex((each) => each.id === failing);
  assert.ok(receiver.acknowledged.findIndex((each) => each.id === otherEvents[0]!.id) < failingAck);
  const deliveries = await api.request('GET', `/api/v1/webhooks/${webhookPk}/deliveries/`);
  assert.is(deliveries.status, 200);
  const ofFailing = deliveries.body.results.filter((each: { webhook_id: string }) => each.webhook_id === failing);
  assert.equal(ofFailing.map((each: { attempt: number; status_code: number }) => [each.attempt, each.status_code]), [[4, 200], [3, 500], [2, 500], [1, 500]]);
  assert.is(ofFailing[1].error, 'The receiver answered 500.');
});

test('a receiver that is down for a while gets the backlog in order once it is back', async ({ api, receiver, subscribe }) => {
  await subscribe();
  let down = true;
  receiver.answer = () => (down ? 503 : 204);
  const products = [freshProductPk(), freshProductPk()];
  const written = (await Promise.all(products.map((pk) => appendGalleryEvents(api.service.eventStore, pk, 15)))).flat();
  await receiver.waitFor(() => receiver.attempts.length >= 6);
  assert.is(receiver.acknowledged.length, 0);
  down = false;
  await receiver.waitFor(() => receiver.acknowledged.length >= written.length);
  assert.equal(new Set(receiver.acknowledged.map((each) => each.id)).size, written.length);
  assert.ok(inProductOrder(receiver.acknowledged));
});

test('a subscription filtered by type and product gets only those events', async ({ api, receiver, subscribe }) => {
  const [wanted, unwanted] = [freshProductPk(), freshProductPk()];
  await subscribe({ events: ['ImageDeleted'], products: [wanted] });
  await appendGalleryEvents(api.service.eventStore, wanted, 3, 'ImageReordered');
  await appendGalleryEvents(api.service.eventStore, unwanted, 2, 'ImageDeleted');
  const expected = await appendGalleryEvents(api.service.eventStore, wanted, 2, 'ImageDeleted');
  await receiver.waitFor(() => receiver.acknowledged.length >= 2);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(receiver.acknowledged.map((each) => each.id), expected.map((each) => each.id));
});

test('replay from a position redelivers every event after it, with the same webhook-id', async ({ api, receiver, subscribe }) => {
  const webhookPk = await subscribe();
  const product = freshProductPk();
  const written = await appendGalleryEvents(api.service.eventStore, product, 5);
  await receiver.waitFor(() => receiver.acknowledged.length >= 5);
  const replay = await api.request('POST', `/api/v1/webhooks/${webhookPk}/replay/`, { body: { after: written[1]!.position } });
  assert.is(replay.status, 202, replay.text);
  await receiver.waitFor(() => receiver.acknowledged.length >= 8);
  assert.equal(receiver.acknowledged.slice(5).map((each) => each.id), written.slice(2).map((each) => each.id));
  const bad = await api.request('POST', `/api/v1/webhooks/${webhookPk}/replay/`, { body: { after: 'zz' } });
  assert.equal([bad.status, bad.body], [400, { after: ['Invalid cursor.'] }]);
});

test('410 Gone disables the subscription; re-enabling resumes from its checkpoint', async ({ api, receiver, subscribe }) => {
  const webhookPk = await subscribe();
  const product = freshProductPk();
  let gone = true;
  receiver.answer = () => (gone ? 410 : 204);
  const written = await appendGalleryEvents(api.service.eventStore, product, 3);
  await receiver.waitFor(() => receiver.attempts.length >= 1);
  let detail = await api.request('GET', `/api/v1/webhooks/${webhookPk}/`);
  for (let i = 0; i < 100 && detail.body.active; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    detail = await api.request('GET', `/api/v1/webhooks/${webhookPk}/`);
  }
  assert.is(detail.body.active, false);
  assert.is(detail.body.disabled_reason, 'The receiver answered 410 Gone.');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.is(receiver.attempts.length, 1, 'no attempt after 410');
  gone = false;
  const enabled = await api.request('PATCH', `/api/v1/webhooks/${webhookPk}/`, { body: { active: true } });
  assert.equal([enabled.status, enabled.body.active, enabled.body.disabled_reason], [200, true, null]);
  await receiver.waitFor(() => receiver.acknowledged.length >= 3);
  assert.equal(receiver.acknowledged.map((each) => each.id), written.map((each) => each.id));
});

test('ping sends a signed test delivery and answers the attempt', async ({ api, receiver, subscribe }) => {
  const webhookPk = await subscribe();
  const ping = await api.request('POST', `/api/v1/webhooks/${webhookPk}/ping/`);
  assert.is(ping.status, 200);
  assert.is(ping.body.status_code, 204);
  assert.is(ping.body.error, null);
  assert.match(ping.body.webhook_id, /^ping_/);
  assert.is(receiver.acknowledged.length, 1);
  assert.is(receiver.acknowledged[0]!.body.type, 'WebhookPing');
});

test.run();
