import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { encodeStoredEvent, serializeEvent } from '../../src/adapters/lmdb/storedEvent.ts';

const EVENTS = 25_000; // more than one copy transaction

/** A store written before the log had its own environment: the named database `log`. */
async function writeLegacyStore(path: string, options: { alreadyCopied: number }): Promise<void> {
  const entries = Array.from({ length: EVENTS }, (_, index) => {
    const event = serializeEvent({ id: `event-${index}`, type: 'Tested', data: { index }, metadata: {} });
    return { sequence: index + 1, stored: encodeStoredEvent(`"product-${index % 10}"`, Math.floor(index / 10), '2024-01-01T00:00:00.000Z', event) };
  });
  const root = open({ path, maxDbs: 3 });
  const legacyLog = root.openDB<string, number>({ name: 'log', encoding: 'string' });
  await legacyLog.transaction(() => {
    for (const { sequence, stored } of entries) legacyLog.putSync(sequence, stored);
  });
  await root.close();
  // A move interrupted by a crash: the first entries are in the new log already.
  const log = open<string, number>({ path: join(path, 'log'), encoding: 'string' });
  await log.transaction(() => {
    for (const { sequence, stored } of entries.slice(0, options.alreadyCopied)) log.putSync(sequence, stored);
  });
  await log.close();
}

for (const alreadyCopied of [0, 12_345]) {
  test(`a store with the log beside the index is moved over on open (${alreadyCopied} entries moved before)`, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lmdb-legacy-log-'));
    const path = join(directory, 'events');
    try {
      await writeLegacyStore(path, { alreadyCopied });
      const store = await openLmdbEventStore({ path });
      const all = await store.readAll({ maxCount: EVENTS + 1 });
      assert.equal(all.map((event) => event.id), Array.from({ length: EVENTS }, (_, index) => `event-${index}`));
      const stream = await store.readStream('product-3');
      assert.is(stream.length, EVENTS / 10);
      assert.ok(stream.every((event, revision) => event.revision === revision && event.id === `event-${revision * 10 + 3}`));
      const next = await store.appendToStream('product-3', [{ id: 'new', type: 'Tested', data: {}, metadata: {} }], {
        expectedRevision: EVENTS / 10 - 1,
      });
      assert.is(next.position, (EVENTS + 1).toString(16).padStart(16, '0'));
      await store.close();

      const root = open({ path, maxDbs: 3 });
      const legacy = root.openDB({ name: 'log', create: false } as { name: string });
      await root.close();
      assert.is(legacy, undefined, 'the old log is dropped');
      const reopened = await openLmdbEventStore({ path });
      assert.is((await reopened.readAll({ maxCount: EVENTS + 2 })).length, EVENTS + 1);
      await reopened.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
}

test.run();
