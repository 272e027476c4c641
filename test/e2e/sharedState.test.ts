import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEsdbStandIn, type EsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { call, login, postRpc } from '../support/rpcClient.ts';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';

interface Context {
  esdb: EsdbStandIn;
  /** Instances started by the test; stopped after it. */
  started: TestService[];
  /** Two instances on the one EventStoreDB, each with its own data dir (read models, media). */
  twoInstances(env?: Record<string, string>): Promise<[TestService, TestService]>;
}

const test = suite<Context>('two instances share sessions and idempotency keys through EventStoreDB (stand-in)');
test.before(async (context) => {
  context.esdb = await startEsdbStandIn();
});
test.after(async ({ esdb }) => {
  await esdb?.stop();
});
test.before.each((context) => {
  context.started = [];
  context.twoInstances = async (env = {}) => {
    const config = { env: { EVENTSTORE_URL: context.esdb.connectionString, ...env } };
    const a = await startTestService(config);
    context.started.push(a);
    // B's subscriptions get every event 150 ms late: what B answers at once about A's writes,
    // it answers because the read guard waits for its read models, not by luck of timing.
    context.esdb.delayLiveDeliveries(150);
    const b = await startTestService(config);
    context.esdb.delayLiveDeliveries(0);
    context.started.push(b);
    assert.is.not(a.dataDir, b.dataDir);
    return [a, b];
  };
});
test.after.each(async ({ started }) => {
  for (const api of started) await api.stop();
});

const types = async (api: TestService, session: string) => (await call(api, session, 'product_media.types', [4])).error;
const SESSION_EXPIRED = { code: -32005, message: 'Session expired. Try to relogin.' };

test('a session opened on A answers on B; endSession on B ends it on A too', async ({ twoInstances }) => {
  const [a, b] = await twoInstances();
  const session = await login(a);
  assert.is(await types(a, session), null, 'at once on the instance that logged in');
  assert.is(await types(b, session), null);
  const ended = await postRpc(b, { jsonrpc: '2.0', id: 3, method: 'endSession', params: [session] });
  assert.equal(ended.body, { jsonrpc: '2.0', id: 3, error: null, result: true });
  assert.equal(await types(b, session), SESSION_EXPIRED);
  assert.equal(await types(a, session), SESSION_EXPIRED);
});

test('a session opened on A can be ended on B before B has seen it', async ({ twoInstances }) => {
  const [a, b] = await twoInstances();
  const session = await login(a);
  assert.is((await postRpc(b, { jsonrpc: '2.0', id: 1, method: 'endSession', params: [session] })).body.result, true);
  assert.equal(await types(a, session), SESSION_EXPIRED);
});

test('RPC_SESSIONS_PER_USER holds across instances: a login on either ends the oldest', async ({ twoInstances }) => {
  const [a, b] = await twoInstances({ RPC_SESSIONS_PER_USER: '2' });
  const first = await login(a);
  const second = await login(b);
  const third = await login(a);
  assert.equal([await types(a, first), await types(b, first)], [SESSION_EXPIRED, SESSION_EXPIRED], 'the oldest ended on both');
  assert.equal([await types(a, second), await types(b, second), await types(a, third), await types(b, third)], [null, null, null, null]);
});

const postProduct = (api: TestService, sku: string, key: string) =>
  api.request('POST', '/api/v1/products/', { body: { sku, name: 'Desk lamp' }, headers: { 'idempotency-key': key } });

const registrationsOf = async (api: TestService, sku: string) =>
  (await api.eventsSince()).filter((event) => event.type === 'ProductRegistered' && (event.data as { sku: string }).sku === sku).length;

test('an idempotent POST on A retried on B answers the original 201 and creates nothing', async ({ twoInstances }) => {
  const [a, b] = await twoInstances();
  const first = await postProduct(a, 'SHARED-IDEM-1', 'order-1');
  assert.is(first.status, 201);
  const retry = await postProduct(b, 'SHARED-IDEM-1', 'order-1');
  assert.equal([retry.status, retry.body, retry.headers.get('etag')], [201, first.body, first.headers.get('etag')]);
  assert.is(retry.headers.get('idempotent-replayed'), 'true');
  assert.is(await registrationsOf(a, 'SHARED-IDEM-1'), 1);
  const other = await b.request('POST', '/api/v1/products/', { body: { sku: 'SHARED-IDEM-OTHER' }, headers: { 'idempotency-key': 'order-1' } });
  assert.equal([other.status, other.body], [422, { detail: 'This Idempotency-Key was already used with a different request.' }]);
});

test('concurrent retries on A and B run the request once and all get its answer', async ({ twoInstances }) => {
  const [a, b] = await twoInstances();
  const responses = await Promise.all([a, b, a, b, b].map((api) => postProduct(api, 'SHARED-IDEM-2', 'burst-1')));
  assert.equal(responses.map((response) => response.status), [201, 201, 201, 201, 201]);
  assert.is(new Set(responses.map((response) => response.text)).size, 1, 'one answer');
  assert.is(responses.filter((response) => response.headers.get('idempotent-replayed') === null).length, 1, 'one run, four replays');
  assert.is(await registrationsOf(a, 'SHARED-IDEM-2'), 1);
});

async function uploadImage(api: TestService, productPk: number, jpeg: Buffer) {
  const data = new FormData();
  data.append('product', String(productPk));
  data.append('image', new Blob([jpeg], { type: 'image/jpeg' }), 'photo.jpg');
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: TOKEN }, body: data });
  return { status: response.status, body: (await response.json()) as { order: number } };
}

test('uploads without order on either instance continue one gallery order; a product made on A filters on B', async ({ twoInstances }) => {
  const [a, b] = await twoInstances();
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } }).jpeg().toBuffer();
  const productPk = (await a.request('POST', '/api/v1/products/', { body: { sku: 'SHARED-ORDER' } })).body.pk as number;
  const listed = await b.request('GET', `/api/v1/product_image/?product=${productPk}`);
  assert.equal([listed.status, listed.body.count], [200, 0], 'B knows the product A just made: no 400');
  const orders: number[] = [];
  for (const api of [a, b, a, b]) {
    const created = await uploadImage(api, productPk, jpeg);
    assert.is(created.status, 201);
    orders.push(created.body.order);
  }
  assert.equal(orders, [0, 1, 2, 3]);
  const concurrent = await Promise.all([uploadImage(a, productPk, jpeg), uploadImage(b, productPk, jpeg)]);
  assert.equal(concurrent.map((created) => created.body.order).sort(), [4, 5], 'concurrent uploads each get their own place');
});

test.run();
