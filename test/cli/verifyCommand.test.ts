import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { productsProjection, PRODUCTS_TABLE } from '../../projections/products.ts';
import { openFsObjectStore } from '../../src/adapters/fs/fsObjectStore.ts';
import { openLmdbReadModelStore } from '../../src/adapters/lmdb/lmdbReadModelStore.ts';
import { runCatalog } from '../../src/cli/main.ts';
import { captureIo } from '../support/captureIo.ts';
import { startEsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { colouredJpeg } from '../support/imageServer.ts';
import { registerProduct } from '../support/rpcClient.ts';
import { startS3rver } from '../support/s3rverFixture.ts';
import { startTestService, TEST_USERS, type TestService } from '../support/testService.ts';

const test = suite('catalog verify');

async function upload(api: TestService, productPk: number, seed: number): Promise<string> {
  const data = new FormData();
  data.append('product', String(productPk));
  data.append('image', new Blob([await colouredJpeg(seed)], { type: 'image/jpeg' }), 'image.jpg');
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: `Token ${TEST_USERS[0]!.key}` }, body: data });
  const body = (await response.json()) as { image: string };
  return new URL(body.image).pathname.replace(/^\/media\//, '');
}

test('offline on DATA_DIR: a sound catalog passes, a changed binary and a changed read model fail it', async () => {
  const api = await startTestService();
  const productPk = await registerProduct(api, `VERIFY-${process.pid}`);
  const [first, second] = [await upload(api, productPk, 1), await upload(api, productPk, 2)];
  await api.service.objectStore.put({ key: `products/2026/01/01/${productPk}/orphan.jpg`, body: Buffer.from('orphan'), contentType: 'image/jpeg' });
  await api.stop({ keepData: true });
  const env = { DATA_DIR: api.dataDir };
  try {
    const sound = captureIo(env);
    assert.is(await runCatalog(['verify'], sound), 0, sound.stdout() + sound.stderr());
    assert.match(sound.stdout(), `orphan: products/2026/01/01/${productPk}/orphan.jpg (6 bytes, `);
    assert.match(sound.stdout(), '2 binaries checked: 0 inconsistencies, 1 orphans');

    // Same size, other bytes; and a binary gone.
    const media = await openFsObjectStore({ root: join(api.dataDir, 'media') });
    const original = await media.stat(first);
    const secondSize = (await media.stat(second))!.size;
    await media.put({ key: first, body: Buffer.alloc(original!.size, 1), contentType: 'image/jpeg' });
    await media.delete(second);
    await media.close();
    // A read-model row no event made.
    const readModels = openLmdbReadModelStore({ path: join(api.dataDir, 'readmodels') });
    const checkpoint = readModels.checkpoint('products')!;
    readModels.commit(productsProjection, (tx) => tx.put(PRODUCTS_TABLE, 999_999, { pk: 999_999, sku: 'ghost' }), checkpoint.position);
    await readModels.close();

    const broken = captureIo(env);
    assert.is(await runCatalog(['verify'], broken), 1);
    const lines = broken.stdout().trim().split('\n');
    const zeroesHash = createHash('sha256').update(Buffer.alloc(original!.size, 1)).digest('hex');
    assert.ok(lines.includes(`hash-mismatch: ${first}: content hashes to ${zeroesHash}, ${original!.sha256} recorded`), broken.stdout());
    assert.ok(lines.includes(`missing-binary: ${second}: missing (an event records ${secondSize} bytes)`), broken.stdout());
    assert.ok(lines.includes(`read-model: products: differs from a fresh rebuild up to its checkpoint ${checkpoint.position}`), broken.stdout());
    assert.match(broken.stdout(), '2 binaries checked: 3 inconsistencies, 1 orphans');
  } finally {
    await api.stop();
  }
});

test('online against EventStoreDB and S3 (stand-ins): the same checks from the service\'s variables', async () => {
  const esdb = await startEsdbStandIn();
  const s3 = await startS3rver();
  const env = { EVENTSTORE_URL: esdb.connectionString, MINIO_ENDPOINT: s3.endpoint, MINIO_ACCESS_KEY: s3.accessKey, MINIO_SECRET_KEY: s3.secretKey, MINIO_BUCKET: 'verify', MINIO_REGION: s3.region };
  const api = await startTestService({ env });
  try {
    const productPk = await registerProduct(api, `VERIFY-ONLINE-${process.pid}`);
    const key = await upload(api, productPk, 3);
    // The instance keeps running: verify reads the shared stores (and no read models: its DATA_DIR is elsewhere).
    const io = captureIo(env);
    assert.is(await runCatalog(['verify'], io), 0, io.stdout() + io.stderr());
    assert.match(io.stdout(), 'read models: none under data/readmodels, not checked');
    assert.match(io.stdout(), '1 binaries checked: 0 inconsistencies, 0 orphans');

    await api.service.objectStore.delete(key);
    const missing = captureIo(env);
    assert.is(await runCatalog(['verify'], missing), 1);
    assert.match(missing.stdout(), `missing-binary: ${key}: missing`);
  } finally {
    await api.stop();
    await s3.stop();
    await esdb.stop();
  }
});

test.run();
