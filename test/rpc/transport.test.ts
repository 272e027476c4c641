import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFixture } from '../support/imageFixtures.ts';
import { callOk, imageData, login, postRpc, registerProduct } from '../support/rpcClient.ts';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService; session: string }>('JSON-RPC transport and image pipeline');
test.before(async (context) => {
  context.api = await startTestService();
  context.session = await login(context.api);
  await registerProduct(context.api, 'T-1');
});
test.after(async ({ api }) => api.stop());

test('the string form of jsonrpc and string ids are echoed as sent', async ({ api, session }) => {
  const response = await postRpc(api, { jsonrpc: '2.0', id: 'req-1', method: 'call', params: [session, 'product_media.list', ['T-1']] });
  assert.is(response.text, '{"jsonrpc":"2.0","id":"req-1","error":null,"result":[]}');
});

test('params by name, a single argument, and the long resource name', async ({ api, session }) => {
  const byName = await postRpc(api, { jsonrpc: 2.0, id: 1, method: 'call', params: { sessionId: session, resourcePath: 'catalog_product_attribute_media.items', args: { sku: 'T-1' } } });
  assert.equal(byName.body.result, []);
  const single = await postRpc(api, { jsonrpc: 2.0, id: 2, method: 'call', params: [session, 'product_media.types', 4] });
  assert.is(single.body.result.length, 2);
  const loginByName = await postRpc(api, { jsonrpc: 2.0, id: 3, method: 'login', params: { username: 'backoffice', apiKey: 'backoffice-key-0123456789' } });
  assert.match(loginByName.body.result, /^[0-9a-f]{32}$/);
});

test('a single notification runs and answers 204 with no body', async ({ api, session }) => {
  const png = (await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer()).toString('base64');
  const response = await postRpc(api, { jsonrpc: 2.0, method: 'call', params: [session, 'product_media.create', ['T-1', imageData(png, 'image/png', { name: 'notified' })]] });
  assert.equal([response.status, response.text], [204, '']);
  const [image] = await callOk(api, session, 'product_media.list', ['T-1']);
  assert.is(image.file, '/n/o/notified.png');
  await callOk(api, session, 'product_media.remove', ['T-1', image.file]);
});

test('the endpoint needs no Token, answers POST only, and keeps the request id', async ({ api }) => {
  const get = await fetch(`${api.service.url}/api/jsonrpc`, { headers: { authorization: TOKEN } });
  assert.is(get.status, 405);
  assert.is(get.headers.get('allow'), 'POST');
  assert.equal(((await get.json()) as { error: { code: number } }).error.code, -32600);
  const post = await fetch(`${api.service.url}/api/jsonrpc`, { method: 'POST', body: '{"jsonrpc":2.0,"id":1,"method":"nope"}', headers: { 'x-request-id': 'rpc-req-1' } });
  assert.is(post.headers.get('x-request-id'), 'rpc-req-1');
  assert.is(((await post.json()) as { error: { code: number } }).error.code, -32601);
});

test('an image is oriented and stripped of metadata as over REST; pixel bombs are refused', async ({ api, session }) => {
  const exif = (await readFixture('exif-rotated-gps.jpg')).toString('base64');
  const [file] = await callOk(api, session, 'product_media.create', ['T-1', imageData(exif, 'image/jpeg', { name: 'rotated' })]);
  const image = await callOk(api, session, 'product_media.info', ['T-1', file]);
  const binary = await fetch(image.url.replace('https://omnitron.example.com', api.service.url), { headers: { authorization: TOKEN } });
  const stored = await sharp(Buffer.from(await binary.arrayBuffer())).metadata();
  assert.equal([stored.width, stored.height, stored.orientation, stored.exif], [40, 60, undefined, undefined]);
  const bomb = (await readFixture('pixel-bomb.png')).toString('base64');
  const refused = await postRpc(api, { jsonrpc: 2.0, id: 1, method: 'call', params: [session, 'product_media.create', ['T-1', imageData(bomb, 'image/png')]] });
  assert.equal(refused.body.error, { code: -32104, message: 'Invalid image.' });
  await callOk(api, session, 'product_media.remove', ['T-1', file]);
});

test.run();
