import * as assert from 'uvu/assert';
import type { EventMetadata } from '../../src/domain/eventMetadata.ts';
import { call, callOk, imageBase64, imageData, login, postRpc, registerProduct } from './rpcClient.ts';
import type { TestService } from './testService.ts';

const brief = (image: { file: string; position: number; exclude: number; types: string[]; label: string }) =>
  ({ file: image.file, position: image.position, exclude: image.exclude, types: image.types, label: image.label });

/**
 * A scripted ERP session over JSON-RPC, with its assertions: login, create three, list, update,
 * replace content, remove, list, endSession, the old session refused; every change an event of
 * the product's gallery by the session's user through rpc. Run on one instance and, through a
 * round-robin proxy, on a cluster.
 */
export async function scriptedErpSession(api: TestService, sku = 'ERP-1001'): Promise<void> {
  const productPk = await registerProduct(api, sku);
  const mark = await api.mark();
  const session = await login(api);
  assert.match(session, /^[0-9a-f]{32}$/);

  const [jpeg, png, gif] = await Promise.all([imageBase64('jpeg'), imageBase64('png'), imageBase64('gif')]);
  assert.equal(await callOk(api, session, 'product_media.create', [sku, imageData(jpeg, 'image/jpeg', { name: 'front view', label: 'Front', types: ['image'] })]), ['/f/r/front_view.jpg']);
  assert.equal(await callOk(api, session, 'product_media.create', [sku, imageData(png, 'image/png', { types: ['thumbnail', 'small_image'] })]), ['/i/m/image.png']);
  assert.equal(await callOk(api, session, 'product_media.create', [sku, imageData(gif, 'image/gif', { position: 7, exclude: 1 })]), ['/i/m/image.gif']);

  const listed = await callOk(api, session, 'product_media.list', [sku]);
  assert.equal(listed.map(brief), [
    { file: '/f/r/front_view.jpg', position: 1, exclude: 0, types: ['image'], label: 'Front' },
    { file: '/i/m/image.png', position: 2, exclude: 0, types: ['thumbnail'], label: '' },
    { file: '/i/m/image.gif', position: 7, exclude: 1, types: [], label: '' },
  ]);

  // Position, types (taken from the front view), exclude; then new content under the same name.
  assert.is(await callOk(api, session, 'product_media.update', [sku, '/i/m/image.gif', { position: 0, types: ['image'], exclude: '0' }]), 1);
  const newGif = await imageBase64('gif', 60, 60, '#c33');
  assert.is(await callOk(api, session, 'product_media.update', [sku, '/i/m/image.gif', { file: { content: newGif, mime: 'image/gif' } }]), 1);
  assert.is(await callOk(api, session, 'product_media.remove', [sku, '/i/m/image.png']), 1);

  const after = await callOk(api, session, 'product_media.list', [sku]);
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
  const refused = await call(api, session, 'product_media.list', [sku]);
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
}
