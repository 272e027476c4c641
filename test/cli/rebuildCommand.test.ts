import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { productsProjection, PRODUCTS_TABLE } from '../../projections/products.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import { runCatalog } from '../../src/cli/main.ts';
import { captureIo } from '../support/captureIo.ts';
import { registerProduct } from '../support/rpcClient.ts';
import { startTestService } from '../support/testService.ts';

const test = suite('catalog rebuild');

test('rebuilds all read models beside and switches them in, or one in place; a damaged row is gone after', async () => {
  const api = await startTestService();
  await registerProduct(api, 'REBUILD-1');
  await registerProduct(api, 'REBUILD-2');
  await api.stop({ keepData: true });
  const path = join(api.dataDir, 'readmodels');
  const damage = () => {
    const store = openLmdbReadModelStore({ path });
    store.commit(productsProjection, (tx) => tx.put(PRODUCTS_TABLE, 999_999, { pk: 999_999, sku: 'ghost' }), store.checkpoint('products')!.position);
    return store.close();
  };
  const storedSkus = async () => {
    const store = openLmdbReadModelStore({ path });
    const rows = store.range<{ sku: string }>(PRODUCTS_TABLE).map((row) => row.value.sku);
    await store.close();
    return rows;
  };
  try {
    await damage();
    assert.equal(await storedSkus(), ['REBUILD-1', 'REBUILD-2', 'ghost']);
    const all = captureIo({ DATA_DIR: api.dataDir });
    assert.is(await runCatalog(['rebuild'], all), 0, all.stderr());
    assert.match(all.stdout(), /^rebuilt all read models from \d+ events in /);
    assert.equal(await storedSkus(), ['REBUILD-1', 'REBUILD-2']);
    assert.not.ok(existsSync(join(api.dataDir, 'readmodels-rebuild')));
    assert.not.ok(existsSync(join(api.dataDir, 'readmodels-old')));

    await damage();
    const one = captureIo({ DATA_DIR: api.dataDir });
    assert.is(await runCatalog(['rebuild', 'products'], one), 0, one.stderr());
    assert.match(one.stdout(), /^rebuilt products from \d+ events in /);
    assert.equal(await storedSkus(), ['REBUILD-1', 'REBUILD-2']);
    const verify = captureIo({ DATA_DIR: api.dataDir });
    assert.is(await runCatalog(['verify'], verify), 0, verify.stdout());

    const unknown = captureIo({ DATA_DIR: api.dataDir });
    assert.is(await runCatalog(['rebuild', 'nope'], unknown), 2);
    assert.is(unknown.stderr(), 'catalog: There is no read model "nope"; choose one of products, gallery, settings, rpcSessions, galleryFiles.\n');

    // The service starts on the rebuilt read models and serves them.
    const restarted = await startTestService({ dataDir: api.dataDir });
    const listed = await restarted.request('GET', '/api/v1/products/?sku=REBUILD-2');
    assert.is(listed.body.count, 1);
    await restarted.stop({ keepData: true });
  } finally {
    await api.stop();
  }
});

test.run();
