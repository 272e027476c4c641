import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { idempotentRequests } from '../../src/app/idempotency/idempotentRequests.ts';
import { IDEMPOTENCY_RETENTION_MS, idempotency } from '../../src/http/rest/idempotency.ts';

/** A bare app: an optional user, the idempotency middleware, and a handler that counts its runs. */
async function harness() {
  const dir = await mkdtemp(join(tmpdir(), 'idempotency-'));
  let now = Date.parse('2026-01-01T00:00:00Z');
  // One clock for the service and the store: the store's retention (max age) judges by it too.
  const eventStore = await openLmdbEventStore({ path: dir, now: () => new Date(now) });
  let runs = 0;
  const app = new Koa();
  app.use((ctx, next) => {
    const actor = ctx.get('x-user');
    if (actor !== '') ctx.state.actor = actor;
    return next();
  });
  app.use(idempotency(idempotentRequests({ eventStore, clock: () => new Date(now).toISOString() })));
  app.use((ctx) => {
    runs += 1;
    ctx.status = 201;
    ctx.body = { run: runs };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const post = async (key: string, user?: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'idempotency-key': key, ...(user ? { 'x-user': user } : {}) } });
    return ((await response.json()) as { run: number }).run;
  };
  return {
    eventStore,
    post,
    advance: (ms: number) => (now += ms),
    close: async () => {
      server.close();
      await eventStore.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test('an answer is remembered for a day, then forgotten: the request runs again, and the store forgets the old answer', async () => {
  const h = await harness();
  try {
    assert.is(await h.post('k1', 'erp'), 1);
    h.advance(IDEMPOTENCY_RETENTION_MS - 1000);
    assert.is(await h.post('k1', 'erp'), 1, 'replayed within the day');
    const [stream] = new Set((await h.eventStore.readAll()).map((event) => event.streamName));
    h.advance(2000);
    assert.equal(await h.eventStore.readStream(stream!), [], 'the stream\'s max age hid the day-old events');
    assert.is(await h.post('k1', 'erp'), 2, 'a new request after the day');
    assert.equal((await h.eventStore.readStream(stream!)).map((event) => [event.revision, event.type]), [
      [2, 'IdempotentRequestStarted'],
      [3, 'IdempotentRequestAnswered'],
    ], 'claimed again at the revision the store kept');
    assert.is(await h.post('k1', 'erp'), 2, 'and replayed');
  } finally {
    await h.close();
  }
});

test('a request without a user is never remembered', async () => {
  const h = await harness();
  try {
    assert.is(await h.post('anonymous'), 1);
    assert.is(await h.post('anonymous'), 2);
    assert.equal(await h.eventStore.readAll(), []);
  } finally {
    await h.close();
  }
});

test.run();
