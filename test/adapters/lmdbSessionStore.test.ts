import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbSessionStore } from '../../src/adapters/lmdb/lmdbSessionStore.ts';

const digest = (n: number) => n.toString(16).padStart(64, '0');

test('sessions are found by digest and listed per user, oldest first; removal and expiry keep the index', async () => {
  const path = await mkdtemp(join(tmpdir(), 'sessions-'));
  const store = openLmdbSessionStore({ path });
  try {
    await store.put(digest(1), { user: 'erp', keyStamp: 's', expiresAt: 500, startedAt: 30 });
    await store.put(digest(2), { user: 'erp', keyStamp: 's', expiresAt: 900, startedAt: 10 });
    await store.put(digest(3), { user: 'bob', keyStamp: 's', expiresAt: 900, startedAt: 20 });
    assert.equal(store.sessionsOf('erp'), [digest(2), digest(1)]);
    assert.equal(store.sessionsOf('er'), [], 'a prefix of a name is another user');
    await store.put(digest(2), { user: 'erp', keyStamp: 's', expiresAt: 950, startedAt: 10 });
    assert.equal(store.sessionsOf('erp'), [digest(2), digest(1)], 'a refresh does not index twice');
    await store.remove(digest(2));
    assert.equal(store.sessionsOf('erp'), [digest(1)]);
    assert.is(await store.removeExpired(600), 1);
    assert.equal([store.sessionsOf('erp'), store.get(digest(1)), store.sessionsOf('bob')], [[], undefined, [digest(3)]]);
  } finally {
    await store.close();
    await rm(path, { recursive: true, force: true });
  }
});

test('sessions kept by an earlier version (unnamed database) are moved and indexed', async () => {
  const path = await mkdtemp(join(tmpdir(), 'sessions-legacy-'));
  const legacy = open({ path, overlappingSync: false });
  await legacy.put(digest(7), { user: 'erp', keyStamp: 's', expiresAt: Date.now() + 60_000 });
  await legacy.close();
  const store = openLmdbSessionStore({ path });
  try {
    assert.is(store.get(digest(7))?.user, 'erp');
    assert.equal(store.sessionsOf('erp'), [digest(7)]);
  } finally {
    await store.close();
    await rm(path, { recursive: true, force: true });
  }
});

test.run();
