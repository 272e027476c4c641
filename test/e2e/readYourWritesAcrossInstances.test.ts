import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEsdbStandIn, type EsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { startS3rver, type S3rverFixture } from '../support/s3rverFixture.ts';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';

interface Context {
  esdb: EsdbStandIn;
  s3: S3rverFixture;
  a: TestService;
  b: TestService;
}

/** Two instances on one EventStoreDB and one S3 (stand-ins), each with its own data directory and read models. */
const test = suite<Context>('read-your-writes across two instances on one EventStoreDB');
test.before(async (context) => {
  context.esdb = await startEsdbStandIn();
  context.s3 = await startS3rver();
  const { s3 } = context;
  const env = {
    EVENTSTORE_URL: context.esdb.connectionString,
    MINIO_ENDPOINT: s3.endpoint,
    MINIO_ACCESS_KEY: s3.accessKey,
    MINIO_SECRET_KEY: s3.secretKey,
    MINIO_REGION: s3.region,
    MINIO_BUCKET: 'ryw-media',
  };
  context.a = await startTestService({ env });
  // B's subscriptions (its read models' and its log watcher's) get every event 150 ms after it
  // is written, A's at once: without the read guard, B answers before it knows A's writes.
  context.esdb.delayLiveDeliveries(150);
  context.b = await startTestService({ env });
  context.esdb.delayLiveDeliveries(0);
});
test.after(async ({ a, b, esdb, s3 }) => {
  await a?.stop();
  await b?.stop();
  await esdb?.stop();
  await s3?.stop();
});

async function upload(api: TestService, productPk: number, jpeg: Buffer) {
  const form = new FormData();
  form.append('product', String(productPk));
  form.append('image', new Blob([jpeg], { type: 'image/jpeg' }), 'a.jpg');
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: TOKEN }, body: form });
  return { status: response.status, body: (await response.json()) as { pk: number; image: string; order: number } };
}

test('what one instance wrote, the other reads at once: products, images, lists and media URLs', async ({ a, b }) => {
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#369' } }).jpeg().toBuffer();
  for (let round = 0; round < 15; round++) {
    const product = await a.request('POST', '/api/v1/products/', { body: { sku: `RYW-${round}` } });
    assert.is(product.status, 201);
    assert.is((await b.request('GET', `/api/v1/products/${product.body.pk}/`)).status, 200, `product, round ${round}`);
    const image = await upload(a, product.body.pk, jpeg);
    assert.is(image.status, 201);
    assert.is((await b.request('GET', `/api/v1/product_image/${image.body.pk}/`)).status, 200, `image, round ${round}`);
    const list = await b.request('GET', `/api/v1/product_image/?product=${product.body.pk}`);
    assert.equal(list.body.results.map((item: { pk: number }) => item.pk), [image.body.pk]);
    const media = await fetch(`${b.service.url}${new URL(image.body.image).pathname}`);
    assert.is(media.status, 200, `media URL, round ${round}`);
    const reordered = await b.request('PATCH', `/api/v1/product_image/${image.body.pk}/`, { body: { order: 7 } });
    assert.is(reordered.status, 200);
    assert.is((await a.request('GET', `/api/v1/product_image/${image.body.pk}/`)).body.order, 7, 'and back the other way');
  }
});

test('a setting changed through one instance applies to the next upload through the other', async ({ a, b }) => {
  const large = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#963' } }).jpeg().toBuffer();
  const product = await a.request('POST', '/api/v1/products/', { body: { sku: 'RYW-SETTINGS' } });
  const changed = await a.request('POST', '/api/v1/dynamic_settings/', { body: { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 100, HEIGHT: 100 } } });
  assert.is(changed.status, 201);
  const image = await upload(b, product.body.pk, large);
  const stored = await fetch(`${b.service.url}${new URL(image.body.image).pathname}`);
  const meta = await sharp(Buffer.from(await stored.arrayBuffer())).metadata();
  assert.equal([meta.width, meta.height], [100, 75]);
  await a.request('POST', '/api/v1/dynamic_settings/', { body: { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 2000, HEIGHT: 2000 } } });
});

test.run();
