import { statfsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { open } from 'lmdb';
import { diskSpaceGuard } from '../../src/adapters/lmdb/diskSpaceGuard.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import { StoreWriteError } from '../../src/errors/appError.ts';
import type { Position } from '../../src/ports/eventStore.ts';
import type { Projection } from '../../src/ports/readModelStore.ts';
import { switchableDisk } from '../support/switchableDisk.ts';

const test = suite<{ dir: string }>('LMDB read-model store');
test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'read-models-'));
});
test.after.each(async ({ dir }) => rm(dir, { recursive: true, force: true }));

const projection: Projection = { name: 'things', version: 1, tables: ['things', 'thingsByName'], streamNamePrefixes: ['thing-'], apply: () => {} };
const at = (n: number) => String(n).padStart(16, '0') as Position;

function assertStoreFull(error: unknown) {
  assert.instance(error, StoreWriteError);
  assert.is((error as StoreWriteError).reason, 'ENOSPC');
  assert.is((error as StoreWriteError).status, 503);
}

test('a batch and its checkpoint commit together; a batch that throws leaves nothing', async ({ dir }) => {
  const store = openLmdbReadModelStore({ path: dir });
  store.catchUpFinished(projection.name);
  store.commit(projection, (tx) => tx.put('things', 1, { n: 1 }), at(1));
  assert.throws(() =>
    store.commit(projection, (tx) => {
      tx.put('things', 2, { n: 2 });
      throw new Error('bug');
    }, at(2)),
  );
  assert.equal(store.get('things', 1), { n: 1 });
  assert.is(store.get('things', 2), undefined);
  assert.equal(store.checkpoint('things'), { version: 1, position: at(1) });
  await store.close();
});

test('reads inside a batch see its own writes and removals', async ({ dir }) => {
  const store = openLmdbReadModelStore({ path: dir });
  store.catchUpFinished(projection.name);
  store.commit(projection, (tx) => tx.put('things', 1, { n: 1 }), at(1));
  store.commit(projection, (tx) => {
    tx.put('things', 1, { n: 2 });
    assert.equal(tx.get('things', 1), { n: 2 });
    tx.remove('things', 1);
    assert.is(tx.get('things', 1), undefined);
    tx.put('thingsByName', ['a', 1], 1);
    assert.is(tx.get('thingsByName', ['a', 1]), 1);
  }, at(2));
  assert.is(store.get('things', 1), undefined);
  assert.is(store.get('thingsByName', ['a', 1]), 1);
  await store.close();
});

test('the change count moves with every commit that readers can see and every reset, not with reads', async ({ dir }) => {
  const store = openLmdbReadModelStore({ path: dir });
  const rebuilding = store.changes();
  store.commit(projection, (tx) => tx.put('things', 1, { n: 1 }), at(1));
  assert.is(store.changes(), rebuilding, 'rows kept in memory during a rebuild are not visible yet');
  store.catchUpFinished(projection.name);
  const afterRebuild = store.changes();
  assert.ok(afterRebuild > rebuilding, 'the rebuilt rows are written');
  store.get('things', 1);
  store.range('things');
  assert.is(store.changes(), afterRebuild, 'reads change nothing');
  store.commit(projection, (tx) => tx.put('things', 2, { n: 2 }), at(2));
  const afterCommit = store.changes();
  assert.ok(afterCommit > afterRebuild);
  store.reset(projection);
  assert.ok(store.changes() > afterCommit);
  await store.close();
});

test('a rebuild keeps rows in memory and writes them with the checkpoint once caught up', async ({ dir }) => {
  const store = openLmdbReadModelStore({ path: dir });
  store.commit(projection, (tx) => tx.put('things', 1, { n: 1 }), at(1));
  store.commit(projection, (tx) => tx.put('things', 1, { ...tx.get<{ n: number }>('things', 1), m: 2 }), at(2));
  assert.is(store.checkpoint('things'), undefined, 'nothing written while rebuilding');
  store.catchUpFinished(projection.name);
  assert.equal(store.get('things', 1), { n: 1, m: 2 });
  assert.equal(store.checkpoint('things'), { version: 1, position: at(2) });
  // Live from now on: each commit lands at once.
  store.commit(projection, (tx) => tx.put('things', 2, { n: 2 }), at(3));
  assert.equal(store.get('things', 2), { n: 2 });
  await store.close();
});

test('closing mid-rebuild writes what was rebuilt, with its checkpoint', async ({ dir }) => {
  let store = openLmdbReadModelStore({ path: dir });
  store.commit(projection, (tx) => tx.put('things', 7, { n: 7 }), at(5));
  await store.close();
  store = openLmdbReadModelStore({ path: dir });
  assert.equal(store.get('things', 7), { n: 7 });
  assert.equal(store.checkpoint('things'), { version: 1, position: at(5) });
  await store.close();
});

test('a rebuild batch that throws abandons the rebuild: nothing is written', async ({ dir }) => {
  let store = openLmdbReadModelStore({ path: dir });
  store.commit(projection, (tx) => tx.put('things', 1, { n: 1 }), at(1));
  assert.throws(() => store.commit(projection, () => { throw new Error('bug'); }, at(2)));
  await store.close();
  store = openLmdbReadModelStore({ path: dir });
  assert.is(store.checkpoint('things'), undefined);
  assert.is(store.get('things', 1), undefined);
  await store.close();
});

test('a lookup by a key too long to be stored finds nothing, inside a batch too', async ({ dir }) => {
  const store = openLmdbReadModelStore({ path: dir });
  store.catchUpFinished(projection.name);
  const longest = 'x'.repeat(1900);
  store.commit(projection, (tx) => tx.put('thingsByName', longest, 1), at(1));
  assert.is(store.get('thingsByName', longest), 1);
  for (const key of ['x'.repeat(5000), '€'.repeat(1400), [7, 'y'.repeat(5000)]]) {
    assert.is(store.get('thingsByName', key), undefined);
    store.commit(projection, (tx) => assert.is(tx.get('thingsByName', key), undefined), at(2));
  }
  await store.close();
});

test('range and count follow key order with offset and limit', async ({ dir }) => {
  const store = openLmdbReadModelStore({ path: dir });
  store.catchUpFinished(projection.name);
  store.commit(projection, (tx) => [3, 1, 2, 10].forEach((n) => tx.put('things', n, n)), at(1));
  assert.equal(store.range('things').map((row) => row.key), [1, 2, 3, 10]);
  assert.equal(store.range('things', { offset: 1, limit: 2 }).map((row) => row.value), [2, 3]);
  assert.equal(store.range('things', { start: 2, end: 10 }).map((row) => row.key), [2, 3]);
  assert.is(store.count('things'), 4);
  assert.equal(store.range('things', { start: 2, end: 10, reverse: true }).map((row) => row.key), [3, 2], 'reverse keeps [start, end)');
  assert.equal(store.range('things', { reverse: true, limit: 2 }).map((row) => row.key), [10, 3]);
  assert.equal(store.range('things', { start: 3, reverse: true }).map((row) => row.key), [10, 3]);
  await store.close();
});

test('reading a table that was never written creates nothing and finds nothing', async ({ dir }) => {
  const disk = switchableDisk();
  const store = openLmdbReadModelStore({ path: dir, space: disk });
  disk.full = true;
  assert.is(store.get('things', 1), undefined);
  assert.equal(store.range('things'), []);
  assert.is(store.count('things'), 0);
  assert.is(store.checkpoint('things'), undefined);
  await store.close();
  const raw = open({ path: dir, maxDbs: 8 });
  assert.is(raw.openDB({ name: 'things', create: false } as { name: string }), undefined, 'no table was created by reading');
  await raw.close();
});

test('a commit refused for lack of space throws StoreWriteError and leaves nothing; the same commit lands once space is back', async ({ dir }) => {
  const disk = switchableDisk();
  const store = openLmdbReadModelStore({ path: dir, space: disk });
  store.catchUpFinished(projection.name);
  store.commit(projection, (tx) => tx.put('things', 1, { n: 1 }), at(1));
  disk.full = true;
  const batch = (tx: { put(table: string, key: number, value: unknown): void }) => tx.put('things', 2, { n: 2 });
  try {
    store.commit(projection, batch, at(2));
    assert.unreachable('the commit must be refused');
  } catch (error) {
    assertStoreFull(error);
  }
  assert.is(store.get('things', 2), undefined);
  assert.equal(store.checkpoint('things'), { version: 1, position: at(1) });
  disk.full = false;
  store.commit(projection, batch, at(2));
  assert.equal(store.get('things', 2), { n: 2 });
  assert.equal(store.checkpoint('things'), { version: 1, position: at(2) });
  await store.close();
});

test('a rebuild whose rows cannot be written keeps them in memory and writes them at the next try', async ({ dir }) => {
  const disk = switchableDisk();
  const store = openLmdbReadModelStore({ path: dir, space: disk });
  store.commit(projection, (tx) => tx.put('things', 1, { n: 1 }), at(1));
  disk.full = true;
  store.commit(projection, (tx) => tx.put('things', 2, { n: 2 }), at(2));
  assert.throws(() => store.catchUpFinished(projection.name), (error: unknown) => error instanceof StoreWriteError);
  assert.is(store.checkpoint('things'), undefined, 'nothing written');
  // Still rebuilding: later batches join the rows in memory.
  store.commit(projection, (tx) => tx.put('things', 3, { n: 3 }), at(3));
  disk.full = false;
  store.catchUpFinished(projection.name);
  assert.equal(store.range('things').map((row) => row.value), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  assert.equal(store.checkpoint('things'), { version: 1, position: at(3) });
  await store.close();
});

test('closing with a rebuild that cannot be written drops it: no checkpoint, so the next start rebuilds', async ({ dir }) => {
  const disk = switchableDisk();
  let store = openLmdbReadModelStore({ path: dir, space: disk });
  store.commit(projection, (tx) => tx.put('things', 1, { n: 1 }), at(1));
  disk.full = true;
  await store.close();
  store = openLmdbReadModelStore({ path: dir });
  assert.is(store.checkpoint('things'), undefined);
  assert.is(store.get('things', 1), undefined);
  await store.close();
});

test('the disk space guard refuses a write that would leave less than its margin free', async ({ dir }) => {
  diskSpaceGuard({ path: dir, what: 'Things', marginBytes: 0 }).check(10);
  const { bavail, bsize } = statfsSync(dir);
  const free = bavail * bsize;
  try {
    diskSpaceGuard({ path: dir, what: 'Things', marginBytes: free + 1024 * 1024 * 1024 }).check(1);
    assert.unreachable('refused');
  } catch (error) {
    assertStoreFull(error);
    assert.match((error as Error).message, /^Things not written: \d+ bytes free on their file system, \d+ needed\.$/);
  }
});

test.run();
