import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFixture } from '../support/imageFixtures.ts';
import { callOk, imageBase64, imageData, login } from '../support/rpcClient.ts';
import { switchableDisk } from '../support/switchableDisk.ts';
import { startTestService, waitUntil, type TestService } from '../support/testService.ts';

interface Context {
  api: TestService;
  disk: ReturnType<typeof switchableDisk>;
  productPk: number;
  sku: string;
  jpeg: Buffer;
  rejections: unknown[];
  onRejection: (reason: unknown) => void;
}

const test = suite<Context>('writes while the read models lag');
test.before(async (context) => {
  context.jpeg = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#a63' } }).jpeg().toBuffer();
});
test.before.each(async (context) => {
  context.rejections = [];
  context.onRejection = (reason) => context.rejections.push(reason);
  process.on('unhandledRejection', context.onRejection);
  context.disk = switchableDisk();
  context.api = await startTestService({ readModelSpace: context.disk });
  context.sku = `LAG-${Math.random()}`;
  const product = await context.api.request('POST', '/api/v1/products/', { body: { sku: context.sku, name: 'Desk lamp' } });
  context.productPk = product.body.pk;
});
test.after.each(async ({ api, onRejection }) => {
  await api.stop();
  process.off('unhandledRejection', onRejection);
});

/** A multipart request; Buffer fields are files of `type`. */
async function send(api: TestService, method: string, path: string, fields: Record<string, string | Buffer>, type = 'image/jpeg') {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') data.append(name, value);
    else data.append(name, new Blob([value], { type }), `${name}.${type === 'video/mp4' ? 'mp4' : 'jpg'}`);
  }
  const response = await fetch(`${api.service.url}${path}`, { method, headers: { authorization: 'Token erp-key-0123456789abcdef' }, body: data });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), body: text === '' ? undefined : JSON.parse(text) };
}

const revisionOfLast = async (api: TestService, streamName: string) =>
  (await api.service.eventStore.readStream(streamName, { direction: 'backwards', maxCount: 1 }))[0]!.revision;

test('every write that was appended answers success from the event store, and reads show it once the disk has room again', async (context) => {
  const { api, disk, productPk, jpeg } = context;
  const mediaStream = `productMedia-${productPk}`;
  const before = await send(api, 'POST', '/api/v1/product_image/', { image: jpeg, product: String(productPk) });
  assert.is(before.status, 201);
  const session = await login(api);
  const mark = await api.mark();

  disk.full = true;
  // Commits now fail: the read models lag behind every write below.
  const created = await send(api, 'POST', '/api/v1/product_image/', { image: jpeg, product: String(productPk), order: '3', source: 'integration' });
  assert.is(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.etag, `W/"${await revisionOfLast(api, mediaStream)}"`);
  const patched = await api.request('PATCH', `/api/v1/product_image/${before.body.pk}/`, { body: { order: 7, focal_point: { x: 0.25, y: 0.5 } } });
  assert.is(patched.status, 200, patched.text);
  assert.is(patched.body.order, 7);
  assert.equal(patched.body.focal_point, { x: 0.25, y: 0.5 });
  assert.equal(patched.headers.get('etag'), `W/"${await revisionOfLast(api, mediaStream)}"`);
  const video = await send(api, 'POST', '/api/v1/product_video/', { video: await readFixture('minimal.mp4'), product: String(productPk) }, 'video/mp4');
  assert.is(video.status, 201, JSON.stringify(video.body));
  const [file] = await callOk(api, session, 'product_media.create', [context.sku, imageData(await imageBase64('png'), 'image/png', { name: 'side view' })]);
  assert.match(file, /^\/s\/i\/side_view\.png$/);
  const product = await api.request('PATCH', `/api/v1/products/${productPk}/`, { body: { name: 'Desk lamp, brass' } });
  assert.is(product.status, 200, product.text);
  assert.is(product.body.name, 'Desk lamp, brass');
  assert.equal(product.headers.get('etag'), `W/"${await revisionOfLast(api, `product-${productPk}`)}"`);
  const registered = await api.request('POST', '/api/v1/products/', { body: { sku: `${context.sku}-2`, name: 'Shade' } });
  assert.is(registered.status, 201, registered.text);
  const setting = await api.request('POST', '/api/v1/dynamic_settings/', { body: { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 1800, HEIGHT: 1600 } } });
  assert.is(setting.status, 201, setting.text);
  assert.equal(setting.body.value, { WIDTH: 1800, HEIGHT: 1600 });
  const deleted = await api.request('DELETE', `/api/v1/product_image/${before.body.pk}/`);
  assert.is(deleted.status, 204, deleted.text);

  const appended = (await api.eventsSince(mark)).map((event) => event.type);
  for (const type of ['ImageUploaded', 'ImageReordered', 'VideoUploaded', 'ProductRenamed', 'ProductRegistered', 'SettingChanged', 'ImageDeleted']) {
    assert.ok(appended.includes(type), `${type} is in the event store`);
  }
  const lagging = await api.request('GET', '/ready');
  assert.is(lagging.status, 503);
  assert.is(lagging.body.status, 'lagging');
  const gallery = lagging.body.read_models.find((model: { name: string }) => model.name === 'gallery');
  assert.equal({ state: gallery.state, reason: gallery.reason }, { state: 'retrying', reason: 'ENOSPC' });
  assert.is((await api.request('GET', '/health')).status, 200);

  disk.full = false;
  await waitUntil(() => api.service.projections.isReady(), 15_000);
  assert.is((await api.request('GET', '/ready')).status, 200);
  // The answers given while the read models lagged are what the read models say now.
  assert.equal((await api.request('GET', `/api/v1/product_image/${created.body.pk}/`)).body, created.body);
  assert.equal((await api.request('GET', `/api/v1/product_video/${video.body.pk}/`)).body, video.body);
  assert.equal((await api.request('GET', `/api/v1/products/${productPk}/`)).body, product.body);
  assert.equal((await api.request('GET', `/api/v1/products/${registered.body.pk}/`)).body, registered.body);
  assert.equal((await api.request('GET', '/api/v1/dynamic_settings/MAX_IMAGE_DIMENSIONS/')).body, setting.body);
  assert.is((await api.request('GET', `/api/v1/product_image/${before.body.pk}/`)).status, 404, 'the delete is visible');
  const listed: Array<{ file: string; url: string }> = await callOk(api, session, 'product_media.list', [context.sku]);
  assert.is(listed.length, 2, 'the REST upload and the JSON-RPC create; the deleted image is gone');
  assert.ok(listed.some((image) => image.file === file));
  assert.ok(listed.some((image) => image.url === created.body.image));
  assert.equal(context.rejections, [], 'no unhandled rejection');
});

test('a stopped gallery projection does not turn stored writes into errors', async (context) => {
  const { api, productPk, jpeg } = context;
  const session = await login(api);
  await api.service.projections.runners.find((runner) => runner.projection.name === 'gallery')!.stop();
  const created = await send(api, 'POST', '/api/v1/product_image/', { image: jpeg, product: String(productPk) });
  assert.is(created.status, 201, JSON.stringify(created.body));
  assert.is(created.body.product, productPk);
  const [file] = await callOk(api, session, 'product_media.create', [context.sku, imageData(await imageBase64('jpeg'), 'image/jpeg', { name: 'front' })]);
  assert.is(file, '/f/r/front.jpg');
  assert.is((await api.request('GET', '/ready')).status, 503);
  assert.equal(context.rejections, []);
});

test('only a write that was not appended answers 503', async (context) => {
  const { api, productPk, jpeg } = context;
  const session = await login(api);
  context.disk.full = true;
  await api.service.eventStore.close();
  const created = await send(api, 'POST', '/api/v1/product_image/', { image: jpeg, product: String(productPk) });
  assert.equal([created.status, created.body], [503, { detail: 'Service temporarily unavailable, try again later.' }]);
  const product = await api.request('POST', '/api/v1/products/', { body: { sku: `${context.sku}-3` } });
  assert.is(product.status, 503);
  const rpc = await postCreate(api, session, context.sku);
  assert.is(rpc.result, null);
  assert.ok(rpc.error, 'a JSON-RPC error');
  assert.equal(context.rejections, []);
});

async function postCreate(api: TestService, session: string, sku: string) {
  const response = await api.request('POST', '/api/jsonrpc', {
    body: { jsonrpc: '2.0', id: 9, method: 'call', params: [session, 'product_media.create', [sku, imageData(await imageBase64('jpeg'), 'image/jpeg')]] },
    auth: null,
  });
  return response.body as { result: unknown; error: unknown };
}

test.run();
