import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import type { EventStore, Position } from '../../src/ports/eventStore.ts';
import { leaseJournal } from '../../src/webhooks/app/leaseJournal.ts';

const test = suite<{ dir: string; store: EventStore }>('webhook delivery lease in the event store');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'lease-journal-'));
  context.store = await openLmdbEventStore({ path: join(context.dir, 'events') });
});
test.after.each(async ({ dir, store }) => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const journal = (store: EventStore, holder: string, now = () => Date.now()) =>
  leaseJournal({ eventStore: store, clock: () => new Date(now()).toISOString() as never, now, holder, leaseMs: 5000 });

test('a renewal whose answer was lost but which was stored does not lose the lease: the next one goes on after it', async ({ store }) => {
  const a = journal(store, 'a');
  const held = (await a.take(1))!;
  assert.ok(held);
  // The renewal is stored, but its answer never reaches us (a timeout): we still hold the old revision.
  await a.renew(1, { ...held, checkpoint: '0000000000000002' as Position });
  const renewed = await a.renew(1, { ...held, checkpoint: '0000000000000003' as Position });
  assert.ok(renewed, 'still ours');
  const last = await a.read(1);
  assert.equal([last!.lease.holder, last!.lease.checkpoint, last!.revision], ['a', '0000000000000003', renewed!.revision]);
});

test('a lease another instance took is lost: the renewal answers undefined and writes nothing', async ({ store }) => {
  let now = Date.now();
  const a = journal(store, 'a', () => now);
  const b = journal(store, 'b', () => now);
  const held = (await a.take(1))!;
  assert.is(await b.take(1), undefined, 'held by a');
  now += 6000;
  const taken = await b.take(1);
  assert.ok(taken, 'expired: b takes it');
  assert.is(await a.renew(1, held), undefined);
  assert.is((await a.read(1))!.lease.holder, 'b');
});

/** `store` whose appends wait until `open()` is called (the read before them goes on). */
function heldAppends(store: EventStore) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const held: EventStore = { ...store, appendToStream: async (...args) => (await gate, store.appendToStream(...args)) };
  return { store: held, open };
}

test('two first takes of a new stream: the one whose append comes second loses, it does not append after the winner', async ({ store }) => {
  const late = heldAppends(store);
  const a = journal(store, 'a');
  const b = journal(late.store, 'b');
  const bTaking = b.take(1); // b reads an empty stream, its append waits
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(await a.take(1), 'a takes the free lease');
  late.open();
  assert.is(await bTaking, undefined, 'b lost the race');
  const events = await store.readStream('webhookDelivery-1');
  assert.equal(events.map((event) => (event.data as { holder: string }).holder), ['a']);
});

test('a stream whose lease events all aged out is taken at the revision the conflict tells, from the subscription\'s creation', async ({ store }) => {
  let now = Date.now();
  const a = journal(store, 'a', () => now);
  await store.appendToStream('webhook-1', [{ id: '5b3f0c39-4d3b-4a59-9bd4-6f2f3f7f0a11', type: 'WebhookCreated', data: {}, metadata: {} }]);
  assert.ok(await a.take(1));
  now += 6000;
  // Everything in the lease stream aged out: it reads empty, its revisions remain.
  const agedOut: EventStore = { ...store, readStream: async (name, options) => (name.startsWith('webhookDelivery-') ? [] : store.readStream(name, options)) };
  const b = leaseJournal({ eventStore: agedOut, clock: () => new Date(now).toISOString() as never, now: () => now, holder: 'b', leaseMs: 5000 });
  const taken = await b.take(1);
  const [created] = await store.readStream('webhook-1');
  assert.equal([taken?.revision, taken?.checkpoint], [1, created!.position]);
});

test.run();
