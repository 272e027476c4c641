import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { EventMetadata } from '../../src/domain/eventMetadata.ts';
import { startTestService, type TestService } from '../support/testService.ts';
import { call, callOk, imageBase64, imageData, login, postRpc, registerProduct } from '../support/rpcClient.ts';

const test = suite<{ api: TestService }>('a scripted ERP session over JSON-RPC');
test.before(async (context) => {
  context.api = await startTestService();
});
test.after(async ({ api }) => api.stop());

const brief = (image: { file: string; position: number; exclude: number; types: string[]; label: string }) =>
  ({ file: image.file, position: image.position, exclude: image.exclude, types: image.types, label: image.label });

test('login, create three, list, update, replace content, remove, list, endSession, old session refused', async ({ api }) => {
  const productPk = await registerProduct(api, 'ERP-1001');
  const mark = await api.mark();
  const session = await login(api);
  assert.match(session, /^[0-9a-f]{32}$/);

  const [jpeg, png, gif] = await Promise.all([imageBase64('jpeg'), imageBase64('png'), imageBase64('gif')]);
  assert.equal(await callOk(api, session, 'product_media.create', ['ERP-1001', imageData(jpeg, 'image/jpeg', { name: 'front view', label: 'Front', types: ['image'] })]), ['/f/r/front_view.jpg']);
  assert.equal(await callOk(api, session, 'product_media.create', ['ERP-1001', imageData(png, 'image/png', { types: ['thumbnail', 'small_image'] })]), ['/i/m/image.png']);
  assert.equal(await callOk(api, session, 'product_media.create', ['ERP-1001', imageData(gif, 'image/gif', { position: 7, exclude: 1 })]), ['/i/m/image.gif']);

  const listed = await callOk(api, session, 'product_media.list', ['ERP-1001']);
  assert.equal(listed.map(brief), [
    { file: '/f/r/front_view.jpg', position: 1, exclude: 0, types: ['image'], label: 'Front' },
    { file: '/i/m/image.png', position: 2, exclude: 0, types: ['thumbnail'], label: '' },
    { file: '/i/m/image.gif', position: 7, exclude: 1, types: [], label: '' },
  ]);

  // Position, types (taken from the front view), exclude; then new content under the same name.
  assert.is(await callOk(api, session, 'product_media.update', ['ERP-1001', '/i/m/image.gif', { position: 0, types: ['image'], exclude: '0' }]), 1);
  const newGif = await imageBase64('gif', 60, 60, '#c33');
  assert.is(await callOk(api, session, 'product_media.update', ['ERP-1001', '/i/m/image.gif', { file: { content: newGif, mime: 'image/gif' } }]), 1);
  assert.is(await callOk(api, session, 'product_media.remove', ['ERP-1001', '/i/m/image.png']), 1);

  const after = await callOk(api, session, 'product_media.list', ['ERP-1001']);
  assert.equal(after.map(brief), [
    { file: '/i/m/image.gif', position: 0, exclude: 0, types: ['image'], label: '' },
    { file: '/f/r/front_view.jpg', position: 1, exclude: 0, types: [], label: 'Front' },
  ]);
  assert.ok(after[0].url !== listed[2].url, 'the replaced content has a new URL');
  const binary = await fetch(after[0].url.replace('https://omnitron.example.com', api.service.url), { headers: { authorization: 'Token erp-key-0123456789abcdef' } });
  assert.is(binary.status, 200);
  assert.is(binary.headers.get('content-type'), 'image/gif');

  const ended = await postRpc(api, { jsonrpc: 2.0, id: 9, method: 'endSession', params: [session] });
  assert.equal(ended.body, { jsonrpc: 2, id: 9, error: null, result: true });
  const refused = await call(api, session, 'product_media.list', ['ERP-1001']);
  assert.equal(refused.error, { code: -32005, message: 'Session expired. Try to relogin.' });

  // Every change is an event of the product's gallery, by the session's user, through rpc.
  const events = (await api.eventsSince(mark)).filter((event) => event.streamName === `productMedia-${productPk}`);
  assert.equal(events.map((event) => event.type), [
    'ImageUploaded', 'ImageUploaded', 'ImageUploaded',
    'ImageReordered', 'ImageExclusionChanged', 'ImageRolesChanged',
    'ImageContentReplaced',
    'ImageDeleted',
  ]);
  for (const event of events) {
    const metadata = event.metadata as EventMetadata;
    assert.equal([metadata.actor, metadata.api], ['erp', 'rpc']);
  }
});

test('concurrent creates of one name all succeed, with distinct names, each image processed and stored once', async ({ api }) => {
  const productPk = await registerProduct(api, 'RACE-1');
  const session = await login(api);
  const jpeg = await imageBase64('jpeg');
  const count = 12;
  const created = await Promise.all(
    Array.from({ length: count }, () => callOk(api, session, 'product_media.create', ['RACE-1', imageData(jpeg, 'image/jpeg', { name: 'same' })])),
  );
  const names = created.map(([file]) => file as string);
  const expected = ['/s/a/same.jpg', ...Array.from({ length: count - 1 }, (_, index) => `/s/a/same_${index + 1}.jpg`)];
  assert.equal([...names].sort(), [...expected].sort());
  const listed = await callOk(api, session, 'product_media.list', ['RACE-1']);
  assert.equal(listed.map((image: { file: string }) => image.file).sort(), [...expected].sort());
  const stored: string[] = [];
  for await (const object of api.service.objectStore.list('products/')) if (object.key.includes(`/${productPk}/`)) stored.push(object.key);
  assert.is(stored.length, count, 'one binary per image: no attempt stored a second one');
});

test('a session outlives a restart of the service', async () => {
  const first = await startTestService();
  const session = await login(first);
  await first.stop({ keepData: true });
  const second = await startTestService({ dataDir: first.dataDir });
  try {
    await registerProduct(second, 'RESTART-1');
    assert.equal(await callOk(second, session, 'product_media.list', ['RESTART-1']), []);
  } finally {
    await second.stop();
  }
});

test('a session expires RPC_SESSION_TTL_SECONDS after its last use', async () => {
  const api = await startTestService({ env: { RPC_SESSION_TTL_SECONDS: '1' } });
  try {
    await registerProduct(api, 'TTL-1');
    const session = await login(api);
    assert.equal(await callOk(api, session, 'product_media.list', ['TTL-1']), []);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.is((await call(api, session, 'product_media.list', ['TTL-1'])).error.code, -32005);
  } finally {
    await api.stop();
  }
});

test.run();
