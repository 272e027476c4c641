import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { settingsInForce } from '../../src/app/settings/settingsInForce.ts';
import { settingsStream } from '../../src/domain/settings/settingsStream.ts';

test('the setting in force is read from the store, and a change made since is seen on the next read', async () => {
  const path = await mkdtemp(join(tmpdir(), 'settings-in-force-'));
  const store = await openLmdbEventStore({ path });
  try {
    const setting = settingsInForce(store);
    assert.equal(await setting('MAX_IMAGE_DIMENSIONS'), { WIDTH: 2000, HEIGHT: 2000 }, 'the default');
    const change = (width: number, previous: number) => ({
      id: crypto.randomUUID(),
      type: 'SettingChanged',
      data: { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: width, HEIGHT: width }, previousValue: { WIDTH: previous, HEIGHT: previous } },
      metadata: {},
    });
    await store.appendToStream(settingsStream(), [change(800, 2000)]);
    assert.equal(await setting('MAX_IMAGE_DIMENSIONS'), { WIDTH: 800, HEIGHT: 800 });
    await store.appendToStream(settingsStream(), [change(300, 800)]);
    assert.equal(await setting('MAX_IMAGE_DIMENSIONS'), { WIDTH: 300, HEIGHT: 300 });
  } finally {
    await store.close();
    await rm(path, { recursive: true, force: true });
  }
});

test.run();
