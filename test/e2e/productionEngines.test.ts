import { EventStoreDBClient } from '@eventstore/db-client';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEsdbStandIn, type EsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { startS3rver, type S3rverFixture } from '../support/s3rverFixture.ts';
import { startTestService, waitUntil, type TestService } from '../support/testService.ts';

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

test('/ready reports 503 while EventStoreDB is down and 200 once it is back', async ({ env, esdb }) => {
  const api = await startTestService({ env });
  try {
    assert.is((await api.request('GET', '/ready', { auth: null })).status, 200);
    await esdb.stop();
    await waitUntil(() => !api.service.projections.isReady(), 10_000);
    const down = await api.request('GET', '/ready', { auth: null });
    assert.equal([down.status, down.body], [503, { status: 'starting' }]);
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
