import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCatalog } from '../../src/cli/main.ts';
import type { SwappableReadModelStore } from '../../src/rebuild/swappableReadModelStore.ts';
import { captureIo } from '../support/captureIo.ts';
import { registerProduct } from '../support/rpcClient.ts';
import { seedRenamedProducts } from './seedHistory.ts';
import { startTestService, TEST_USERS, type TestService } from '../support/testService.ts';

const test = suite('rebuild of a running service');
const KEY = TEST_USERS[0]!.key;

/** Registers `count` products, `concurrency` at a time. */
async function registerMany(api: TestService, prefix: string, count: number, concurrency = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await registerProduct(api, `${prefix}-${next++}`);
    }),
  );
}

/** The store the queries read now. */
const served = (api: TestService) => (api.service.readModels as SwappableReadModelStore).current();
const readModelDirectories = (dataDir: string) => readdirSync(dataDir).filter((name) => name.startsWith('readmodels')).sort();

test('answers every read and write from whole read models while it rebuilds, then serves the new ones and removes the old', async () => {
  const api = await startTestService();
  try {
    // About 100,000 events: the rebuild takes a while, and the load runs all along.
    await seedRenamedProducts(api.service.eventStore, 1_000_001, 100, 999);
    await registerMany(api, 'LIVE', 50);
    const before = served(api);
    // Continuous load: writers register a product and read it back at once; readers list
    // everything and must never see fewer products than were registered before they asked.
    let registered = 150;
    let stop = false;
    const failures: string[] = [];
    let requests = 0;
    const writer = async (id: number) => {
      for (let n = 0; !stop; n++) {
        const sku = `DURING-${id}-${n}`;
        const created = await api.request('POST', '/api/v1/products/', { body: { sku, media_enabled: true } });
        if (created.status !== 201) failures.push(`POST ${sku}: ${created.status} ${created.text}`);
        else registered += 1;
        const read = await api.request('GET', `/api/v1/products/?sku=${sku}`);
        if (read.status !== 200 || read.body.count !== 1) failures.push(`GET ${sku} after its write: ${read.status} ${read.text.slice(0, 200)}`);
        requests += 2;
      }
    };
    const reader = async () => {
      while (!stop) {
        const floor = registered;
        const listed = await api.request('GET', '/api/v1/products/?limit=1');
        if (listed.status !== 200 || listed.body.count < floor) failures.push(`list: ${listed.status} count ${listed.body?.count} < ${floor}`);
        requests += 1;
      }
    };
    const load = Promise.all([writer(1), writer(2), reader(), reader()]);
    const io = captureIo({});
    const code = await runCatalog(['rebuild', '--url', api.service.url, '--token', KEY], io);
    const requestsDuring = requests;
    stop = true;
    await load;

    assert.is(code, 0, io.stderr());
    assert.match(io.stdout(), /^rebuild [0-9a-f-]{36}: 1 instance\(s\) switched, 0 failed, in \d+\.\d s\n$/);
    assert.match(io.stderr(), /: switched after \d+ events\n/);
    // The CLI saw it building: the load ran while the new read models were being built.
    assert.match(io.stderr(), /: building, \d+ events\n/);
    assert.ok(requestsDuring > 0, 'requests ran during the rebuild');
    assert.equal(failures, []);
    assert.is.not(served(api), before, 'the service switched to new read models');

    // Every product, those written during the rebuild included, is in the new read models.
    const listed = await api.request('GET', '/api/v1/products/?limit=1');
    assert.is(listed.body.count, registered);
    // The old directory is gone; the pointer names the new one.
    const directories = readModelDirectories(api.dataDir);
    assert.equal(directories.length, 2, directories.join());
    assert.match(directories[0]!, /^readmodels-[0-9a-f-]{36}$/);
    assert.is(directories[1], 'readmodels.current');
    assert.is(readFileSync(join(api.dataDir, 'readmodels.current'), 'utf8'), `${directories[0]}\n`);

    // A restart serves the new directory.
    await api.service.close();
    const restarted = await startTestService({ dataDir: api.dataDir });
    assert.is((await restarted.request('GET', '/api/v1/products/?limit=1')).body.count, registered);
    await restarted.stop({ keepData: true });
  } finally {
    await api.stop();
  }
});

test('rebuilds one read model from the events and copies the others; a second rebuild switches again; offline rebuilds follow the switch', async () => {
  const api = await startTestService();
  try {
    await registerMany(api, 'ONE', 20);
    for (const projection of ['products', undefined]) {
      const io = captureIo({});
      const code = await runCatalog(['rebuild', ...(projection ? [projection] : []), '--url', api.service.url, '--token', KEY], io);
      assert.is(code, 0, io.stderr());
      assert.match(io.stderr(), new RegExp(`of ${projection ?? 'all read models'} requested; waiting for 1 instance\\(s\\) to switch`));
    }
    assert.is((await api.request('GET', '/api/v1/products/?limit=1')).body.count, 20);
    assert.is((await api.request('GET', '/api/v1/products/?sku=ONE-7')).body.count, 1);
    assert.is(readModelDirectories(api.dataDir).length, 2);
    const verify = captureIo({ DATA_DIR: api.dataDir });
    await api.service.close();
    assert.is(await runCatalog(['verify'], verify), 0, verify.stdout() + verify.stderr());
    // Offline, the rebuild works on the directory the live one switched to.
    const switchedTo = readModelDirectories(api.dataDir);
    const offline = captureIo({ DATA_DIR: api.dataDir });
    assert.is(await runCatalog(['rebuild'], offline), 0, offline.stderr());
    assert.equal(readModelDirectories(api.dataDir), switchedTo);
    const restarted = await startTestService({ dataDir: api.dataDir });
    assert.is((await restarted.request('GET', '/api/v1/products/?sku=ONE-7')).body.count, 1);
    await restarted.stop({ keepData: true });
  } finally {
    await api.stop();
  }
});

test.run();
