import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCluster, type Cluster } from '../support/clusterFixture.ts';
import { startWebhookReceiver, type Received, type WebhookReceiver } from '../support/webhookReceiver.ts';
import { appendGalleryEvents, freshProductPk } from '../webhooks/webhookSupport.ts';
import type { WebhookLeaseHeld } from '../../src/webhooks/domain/webhookEvents.ts';

/**
 * Three instances (child processes) on one EventStoreDB (stand-in): each subscription is delivered
 * by one instance at a time, under a lease in the event store; SIGKILL of that instance hands
 * delivery to another, which resumes from the checkpoint in the store.
 */
const test = suite<{ cluster: Cluster; receiver: WebhookReceiver }>('webhooks on three instances: one deliverer, taken over after SIGKILL');
test.before(async (context) => {
  context.cluster = await startCluster(3, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_LEASE_MS: '4000', WEBHOOK_RETRY_DELAYS_MS: '50,100' });
  context.receiver = await startWebhookReceiver();
});
test.after(async ({ cluster, receiver }) => {
  await receiver?.stop();
  await cluster?.stop();
});

/** The holders of a subscription's lease, in the order they took it. */
async function holders(cluster: Cluster, webhookPk: number): Promise<string[]> {
  const events = await cluster.api.service.eventStore.readStream(`webhookDelivery-${webhookPk}`);
  const seen: string[] = [];
  for (const event of events) {
    const { holder } = event.data as WebhookLeaseHeld['data'];
    if (seen.at(-1) !== holder) seen.push(holder);
  }
  return seen;
}

/** First arrivals only, as a receiver deduping by webhook-id keeps them. */
const deduped = (received: Received[]) => {
  const seen = new Set<string>();
  return received.filter((each) => !seen.has(each.id) && seen.add(each.id));
};

test('SIGKILL of the delivering instance mid-stream: another resumes; duplicates only with the same webhook-id; nothing lost, order kept', async ({ cluster, receiver }) => {
  const created = await cluster.api.request('POST', '/api/v1/webhooks/', { body: { url: receiver.url } });
  assert.is(created.status, 201, created.text);
  receiver.secret = created.body.secret;
  const webhookPk: number = created.body.pk;
  const { eventStore } = cluster.api.service;
  const products = [freshProductPk(), freshProductPk(), freshProductPk(), freshProductPk()];
  const written: { id: string; position: string; product: number }[] = [];
  const writeRound = async () => {
    for (const product of products) for (const event of await appendGalleryEvents(eventStore, product, 5)) written.push({ ...event, product });
  };
  for (let round = 0; round < 4; round++) await writeRound();
  await receiver.waitFor(() => receiver.acknowledged.length >= 40, 20_000);

  const before = await holders(cluster, webhookPk);
  const holderPid = Number(before.at(-1)!.split('-')[0]);
  const index = [0, 1, 2].find((each) => cluster.pid(each) === holderPid);
  assert.ok(index !== undefined, `the holder ${before.at(-1)} is one of the instances`);
  await cluster.kill(index!);
  const killedAt = Date.now();
  const beforeKill = new Set(receiver.attempts.map((each) => each.id));
  for (let round = 0; round < 4; round++) await writeRound();

  await receiver.waitFor(() => new Set(receiver.acknowledged.map((each) => each.id)).size >= written.length, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 500)); // nothing more arrives
  // The lease moved once, at the kill: a live holder keeps it, even on a loaded machine.
  const leaseRecorded = await eventStore.readStream(`webhookDelivery-${webhookPk}`);
  const leases = leaseRecorded.map((event) => ({ ...(event.data as WebhookLeaseHeld['data']), created: Date.parse(event.created) }));
  const after = (await holders(cluster, webhookPk)).slice(before.length);
  assert.equal(before.length, 1, `one holder before the kill: ${before.join(', ')}`);
  assert.equal(after.length, 1, `one take-over, at the kill: ${after.join(', ')}`);
  assert.ok(Number(after[0]!.split('-')[0]) !== holderPid, 'a survivor took over');
  assert.is(receiver.rejected, 0);

  // Nothing lost, and a deduping receiver sees every product in commit order.
  const firsts = deduped(receiver.acknowledged);
  assert.equal(new Set(firsts.map((each) => each.id)), new Set(written.map((each) => each.id)));
  for (const product of products) {
    assert.equal(firsts.filter((each) => each.body.product === product).map((each) => each.id), written.filter((each) => each.product === product).map((each) => each.id), `product ${product}`);
  }
  // A delivery's webhook-id is its event's id: a duplicate carries the id of the event it repeats.
  const positionOf = new Map(written.map((each) => [each.id, each.position]));
  for (const each of receiver.acknowledged) assert.is(each.body.position, positionOf.get(each.id), `webhook-id ${each.id}`);
  // Every event exactly once, except events the killed holder had sent but not yet checkpointed:
  // those at most twice (once from it, once from the survivor that resumed from its checkpoint).
  const killedCheckpoint = leases.filter((lease) => lease.holder === before[0]).at(-1)!.checkpoint;
  const takenOverAt = leases.find((lease) => lease.holder === after[0])!.created;
  const sentByKilled = new Set(receiver.attempts.filter((each) => each.at < takenOverAt).map((each) => each.id));
  const counts = new Map<string, number>();
  for (const each of receiver.acknowledged) counts.set(each.id, (counts.get(each.id) ?? 0) + 1);
  for (const [id, count] of counts) {
    if (count === 1) continue;
    assert.ok(count === 2, `${id} arrived ${count} times`);
    assert.ok(sentByKilled.has(id), `${id} (at ${positionOf.get(id)}) arrived twice but was not sent before the take-over`);
    assert.ok(killedCheckpoint === null || positionOf.get(id)! > killedCheckpoint, `${id} was redelivered though the killed holder had checkpointed it`);
  }
  // Delivery went on within a few lease periods.
  const resumed = receiver.attempts.find((each) => each.at > killedAt && !beforeKill.has(each.id));
  assert.ok(resumed !== undefined && resumed.at - killedAt < 10_000, 'resumed soon after the kill');
});

test('with all instances up, one holds the lease and the receiver gets each event once', async ({ cluster, receiver }) => {
  const start = receiver.acknowledged.length;
  const list = await cluster.api.request('GET', '/api/v1/webhooks/');
  const webhookPk: number = list.body.results[0].pk;
  const product = freshProductPk();
  const written = await appendGalleryEvents(cluster.api.service.eventStore, product, 30);
  await receiver.waitFor(() => receiver.acknowledged.length >= start + 30, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(receiver.acknowledged.slice(start).map((each) => each.id), written.map((each) => each.id));
  // Every instance answers the subscription the same way (it lives in the event store).
  for (const instance of cluster.direct) {
    const detail = await instance.request('GET', `/api/v1/webhooks/${webhookPk}/`).catch(() => undefined);
    if (detail === undefined) continue; // the instance killed by the test before
    assert.equal([detail.status, detail.body.active], [200, true]);
  }
});

test.run();
