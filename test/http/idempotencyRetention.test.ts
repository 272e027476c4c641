import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbIdempotencyStore } from '../../src/adapters/lmdb/lmdbIdempotencyStore.ts';
import { IDEMPOTENCY_RETENTION_MS, idempotency } from '../../src/http/rest/idempotency.ts';

/** A bare app: an optional user, the idempotency middleware, and a handler that counts its runs. */
async function harness() {
  const dir = await mkdtemp(join(tmpdir(), 'idempotency-'));
  const store = openLmdbIdempotencyStore({ path: dir });
  let now = Date.parse('2026-01-01T00:00:00Z');
  let runs = 0;
  const app = new Koa();
  app.use((ctx, next) => {
    const actor = ctx.get('x-user');
    if (actor !== '') ctx.state.actor = actor;
    return next();
  });
  app.use(idempotency(store, () => new Date(now).toISOString()));
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
    store,
    post,
    advance: (ms: number) => (now += ms),
    close: async () => {
      server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test('an answer is remembered for a day, then forgotten: the request runs again, and old records are removed', async () => {
  const h = await harness();
  try {
    assert.is(await h.post('k1', 'erp'), 1);
    h.advance(IDEMPOTENCY_RETENTION_MS - 1000);
    assert.is(await h.post('k1', 'erp'), 1, 'replayed within the day');
    h.advance(2000);
    assert.is(await h.post('k1', 'erp'), 2, 'a new request after the day');
    assert.is(await h.post('k2', 'erp'), 3);
    // More than a day later, a request sweeps every answer past its day.
    h.advance(IDEMPOTENCY_RETENTION_MS + 60 * 60_000);
    assert.is(await h.post('k3', 'erp'), 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.is(h.store.get('erp\nk1'), undefined);
    assert.is(h.store.get('erp\nk2'), undefined);
    assert.ok(h.store.get('erp\nk3'));
  } finally {
    await h.close();
  }
});

test('a request without a user is never remembered', async () => {
  const h = await harness();
  try {
    assert.is(await h.post('anonymous'), 1);
    assert.is(await h.post('anonymous'), 2);
    assert.is(h.store.get('undefined\nanonymous'), undefined);
  } finally {
    await h.close();
  }
});

test('forgetting reads the store in slices and keeps every answer not past its day', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'idempotency-forget-'));
  const store = openLmdbIdempotencyStore({ path: dir });
  try {
    const answer = (at: string) => ({ fingerprint: 'f', status: 201, headers: {}, body: '{}', at });
    const writes: Promise<void>[] = [];
    for (let index = 0; index < 1234; index++) {
      const old = index % 3 !== 0;
      writes.push(store.remember(`user\nkey-${String(index).padStart(5, '0')}`, answer(old ? '2026-01-01T00:00:00.000Z' : '2026-01-03T00:00:00.000Z')));
    }
    await Promise.all(writes);
    const forgotten = await store.forgetAnsweredBefore('2026-01-02T00:00:00.000Z');
    assert.is(forgotten, 1234 - Math.ceil(1234 / 3));
    assert.ok(store.get('user\nkey-00000'), 'kept');
    assert.is(store.get('user\nkey-00001'), undefined);
    assert.ok(store.get('user\nkey-01233'), 'kept: the last of the last slice');
    assert.is(await store.forgetAnsweredBefore('2026-01-02T00:00:00.000Z'), 0);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
