import { EventStoreDBClient } from '@eventstore/db-client';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEsdbStandIn, type EsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { startS3rver, type S3rverFixture } from '../support/s3rverFixture.ts';
import { startTestService, TOKEN, waitUntil, type TestService } from '../support/testService.ts';
import { readSse } from '../history/sseClient.ts';

interface Context {
  esdb: EsdbStandIn;
  s3: S3rverFixture;
  env: Record<string, string>;
}

const test = suite<Context>('the whole service on EventStoreDB and S3 (stand-ins)');
test.before(async (context) => {
  context.esdb = await startEsdbStandIn();
  context.s3 = await startS3rver();
  context.env = {
    EVENTSTORE_URL: context.esdb.connectionString,
    MINIO_ENDPOINT: context.s3.endpoint,
    MINIO_ACCESS_KEY: context.s3.accessKey,
    MINIO_SECRET_KEY: context.s3.secretKey,
    MINIO_REGION: context.s3.region,
    MINIO_BUCKET: 'e2e-media',
  };
});
test.after(async ({ esdb, s3 }) => {
  await esdb?.stop();
  await s3?.stop();
});

test('products are registered, listed and changed through EventStoreDB', async ({ env, esdb }) => {
  let api: TestService | undefined = await startTestService({ env });
  try {
    assert.equal(api.service.engines, { eventStore: 'eventstoredb', objectStore: 's3' });
    const created = await api.request('POST', '/api/v1/products/', { body: { sku: 'E2E-1', name: 'Lamp' } });
    assert.is(created.status, 201);
    const duplicate = await api.request('POST', '/api/v1/products/', { body: { sku: 'E2E-1' } });
    assert.equal([duplicate.status, duplicate.body], [400, { sku: ['product with this sku already exists.'] }]);
    const patched = await api.request('PATCH', `/api/v1/products/${created.body.pk}/`, { body: { name: 'Desk lamp' } });
    assert.is(patched.body.name, 'Desk lamp');

    // The events are in EventStoreDB: read them with the raw client, as a downstream service would.
    const client = EventStoreDBClient.connectionString(esdb.connectionString);
    try {
      const types: string[] = [];
      for await (const resolved of client.readStream(`product-${created.body.pk}`)) types.push(resolved.event!.type);
      assert.equal(types, ['ProductRegistered', 'ProductRenamed']);
    } finally {
      await client.dispose();
    }

    // A second instance with its own empty data dir builds the same read model from the store.
    const dataDir = api.dataDir;
    await api.stop();
    api = await startTestService({ env });
    assert.is.not(api.dataDir, dataDir);
    const list = await api.request('GET', '/api/v1/products/?sku=E2E-1');
    assert.equal(list.body.results.map((product: { name: string }) => product.name), ['Desk lamp']);
    // pks keep counting in the shared store.
    const next = await api.request('POST', '/api/v1/products/', { body: { sku: 'E2E-2' } });
    assert.ok(next.body.pk > created.body.pk);
  } finally {
    await api?.stop();
  }
});

/** Posts one file (and fields) to a media resource as a multipart form. */
async function uploadMedia(api: TestService, resource: string, field: string, bytes: Buffer, type: string, fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  data.append(field, new Blob([bytes], { type }), `upload.${type.split('/')[1]}`);
  const response = await fetch(`${api.service.url}/api/v1/${resource}/`, { method: 'POST', headers: { authorization: TOKEN }, body: data });
  return { status: response.status, body: (await response.json()) as any };
}

test('images and videos go through the REST API into S3 and come back through /media', async ({ env }) => {
  const api = await startTestService({ env });
  try {
    const product = (await api.request('POST', '/api/v1/products/', { body: { sku: 'E2E-MEDIA' } })).body.pk as number;
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a7' } }).jpeg().toBuffer();
    const mp4 = await readFile(new URL('../fixtures/minimal.mp4', import.meta.url));
    const first = await uploadMedia(api, 'product_image', 'image', jpeg, 'image/jpeg', { product: String(product), order: '0' });
    const second = await uploadMedia(api, 'product_image', 'image', jpeg, 'image/jpeg', { product: String(product), order: '1' });
    const video = await uploadMedia(api, 'product_video', 'video', mp4, 'video/mp4', { product: String(product) });
    assert.equal([first.status, second.status, video.status], [201, 201, 201]);

    const images = () => api.request('GET', `/api/v1/product_image/?product=${product}`);
    assert.equal((await images()).body.results.map((image: { pk: number }) => image.pk), [first.body.pk, second.body.pk]);
    const videos = await api.request('GET', `/api/v1/product_video/?product=${product}`);
    assert.equal(videos.body.results.map((clip: { pk: number }) => clip.pk), [video.body.pk]);

    const reordered = await api.request('PATCH', `/api/v1/product_image/${first.body.pk}/`, { body: { order: 5 } });
    assert.equal([reordered.status, reordered.body.order], [200, 5]);
    assert.equal((await images()).body.results.map((image: { pk: number }) => image.pk), [second.body.pk, first.body.pk]);
    const special = await api.request('POST', `/api/v1/product_image/${second.body.pk}/make_special/`, { body: { special_image_type: 'base' } });
    assert.equal([special.status, special.body], [200, { special_image_type: 'base' }]);
    const deleted = await api.request('DELETE', `/api/v1/product_image/${first.body.pk}/`);
    assert.is(deleted.status, 204);
    assert.equal((await images()).body.results.map((image: { pk: number }) => image.pk), [second.body.pk]);
    assert.is((await api.request('GET', `/api/v1/product_image/${first.body.pk}/`)).status, 404);

    // The binaries are in the bucket, and /media streams them from there.
    for (const [url, type] of [[second.body.image, 'image/jpeg'], [video.body.video, 'video/mp4']] as const) {
      const path = new URL(url).pathname;
      const info = await api.service.objectStore.stat(path.slice('/media/'.length));
      assert.ok(info, `${path} is in S3`);
      assert.is(info!.contentType, type);
      const response = await fetch(`${api.service.url}${path}`, { headers: { authorization: TOKEN } });
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.is(response.status, 200);
      assert.is(response.headers.get('content-type'), type);
      assert.is(response.headers.get('etag'), `"${info!.sha256}"`);
      assert.is(createHash('sha256').update(bytes).digest('hex'), info!.sha256);
      assert.is(bytes.length, info!.size);
      const tail = await fetch(`${api.service.url}${path}`, { headers: { authorization: TOKEN, range: 'bytes=-8' } });
      assert.is(tail.status, 206);
      assert.ok(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(-8)));
    }
    const videoBytes = await fetch(`${api.service.url}${new URL(video.body.video).pathname}`, { headers: { authorization: TOKEN } });
    assert.ok(Buffer.from(await videoBytes.arrayBuffer()).equals(mp4), 'the video comes back as uploaded');

    // History, time travel, restore and the downstream feed work the same on EventStoreDB.
    const history = await api.request('GET', `/api/v1/product_image/${first.body.pk}/history/`);
    assert.equal(history.body.results.map((entry: { event: string }) => entry.event), ['ImageUploaded', 'ImageReordered', 'ImageDeleted']);
    const past = await api.request('GET', `/api/v1/product_image/?product=${product}&at_revision=1`);
    assert.equal(past.body.results.map((image: { pk: number }) => image.pk), [first.body.pk, second.body.pk]);
    assert.is((await api.request('POST', `/api/v1/product_image/${first.body.pk}/restore/`)).status, 200);
    const page = await api.request('GET', `/api/v1/media_events/?after=0&limit=100&product=${product}`);
    assert.equal(page.body.results.map((entry: { type: string }) => entry.type), [
      'ImageUploaded', 'ImageUploaded', 'VideoUploaded', 'ImageReordered', 'MainImageSet', 'ImageDeleted', 'ImageRestored',
    ]);
    const streamed = await readSse(`${api.service.url}/api/v1/media_events/stream?product=${product}`, {
      headers: { authorization: TOKEN },
      until: (events) => events.length === page.body.results.length,
    });
    assert.equal(streamed.events.map((event) => event.id), page.body.results.map((entry: { position: string }) => entry.position));
    const lmdbCursor = await api.request('GET', '/api/v1/media_events/?after=00000000000000ff');
    assert.equal([lmdbCursor.status, lmdbCursor.body], [400, { after: ['Invalid cursor.'] }]);
  } finally {
    await api.stop();
  }
});

test('/ready reports 503 while EventStoreDB is down and 200 once it is back', async ({ env, esdb }) => {
  const api = await startTestService({ env });
  try {
    assert.is((await api.request('GET', '/ready', { auth: null })).status, 200);
    await esdb.stop();
    await waitUntil(() => !api.service.projections.isReady(), 10_000);
    const down = await api.request('GET', '/ready', { auth: null });
    assert.is(down.status, 503);
    assert.equal(
      { status: down.body.status, eventStore: down.body.event_store },
      { status: 'lagging', eventStore: 'unreachable' },
      'says why: the event store is unreachable',
    );
    assert.ok(down.body.read_models.every((model: { state: string }) => model.state === 'catching up'), 'the read models wait for their subscription');
    const write = await api.request('POST', '/api/v1/products/', { body: { sku: 'WHILE-DOWN' } });
    assert.is(write.status, 503);
    assert.equal(write.body, { detail: 'Service temporarily unavailable, try again later.' });
    await esdb.restart();
    await waitUntil(() => api.service.projections.isReady(), 15_000);
    const created = await api.request('POST', '/api/v1/products/', { body: { sku: 'AFTER-OUTAGE' } });
    assert.is(created.status, 201);
    assert.is((await api.request('GET', '/ready', { auth: null })).status, 200);
  } finally {
    await api.stop();
  }
});

test.run();
