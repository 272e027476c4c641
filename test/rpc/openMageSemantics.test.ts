import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, callOk, imageBase64, imageData, login, postRpc, registerProduct } from '../support/rpcClient.ts';
import { startTestService, type TestService } from '../support/testService.ts';

interface Context {
  api: TestService;
  session: string;
  sku: string;
  jpeg: string;
  png: string;
}

// Issue 20, items 12–15 and 17: the API server behaves as OpenMage's and Zend's do.
const test = suite<Context>('JSON-RPC with OpenMage\'s own behaviour');
test.before(async (context) => {
  context.api = await startTestService();
  context.session = await login(context.api);
  context.jpeg = await imageBase64('jpeg');
  context.png = await imageBase64('png', 12, 10);
  await registerProduct(context.api, 'SEM-NO-MEDIA', false);
});
test.before.each(async (context) => {
  context.sku = `SEM-${Math.random().toString(36).slice(2)}`;
  await registerProduct(context.api, context.sku);
});
test.after(async ({ api }) => api.stop());

const fetchMedia = (api: TestService, url: string) => fetch(url.replace('https://omnitron.example.com', api.service.url));

test('12: content is judged by its bytes: PNG declared image/jpeg is accepted, named .jpg, served as image/png', async ({ api, session, sku, png, jpeg }) => {
  const [file] = await callOk(api, session, 'product_media.create', [sku, imageData(png, 'image/jpeg', { name: 'photo' })]);
  assert.is(file, '/p/h/photo.jpg');
  const image = await callOk(api, session, 'product_media.info', [sku, file]);
  const served = await fetchMedia(api, image.url);
  assert.is(served.status, 200);
  assert.is(served.headers.get('content-type'), 'image/png');
  assert.is((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).format, 'png');
  // update too: JPEG content declared image/gif replaces the binary under the same file name.
  assert.is(await callOk(api, session, 'product_media.update', [sku, file, { file: { content: jpeg, mime: 'image/gif' } }]), 1);
  const replaced = await callOk(api, session, 'product_media.info', [sku, file]);
  assert.is((await fetchMedia(api, replaced.url)).headers.get('content-type'), 'image/jpeg');
  // Valid base64 that is no image stays 104.
  const notImage = await call(api, session, 'product_media.create', [sku, imageData(Buffer.from('plain text, no image').toString('base64'), 'image/png')]);
  assert.equal(notImage.error, { code: -32104, message: 'Invalid image.' });
});

test('13: isset semantics: a null label changes nothing; types as one string; data []; disabled; PHP (int) casts', async ({ api, session, sku, jpeg }) => {
  const [file] = await callOk(api, session, 'product_media.create', [sku, imageData(jpeg, 'image/jpeg', { label: 'Front', types: 'image' })]);
  let image = await callOk(api, session, 'product_media.info', [sku, file]);
  assert.equal([image.label, image.types], ['Front', ['image']], 'types given as one code');
  assert.is(await callOk(api, session, 'product_media.update', [sku, file, { label: null, position: '7' }]), 1);
  image = await callOk(api, session, 'product_media.info', [sku, file]);
  assert.equal([image.label, image.position], ['Front', 7], 'a null label is not set');

  const mark = await api.mark();
  assert.is(await callOk(api, session, 'product_media.update', [sku, file, []]), 1, 'update with PHP\'s empty array');
  assert.equal(await api.eventsSince(mark), [], 'and changes nothing');
  assert.equal((await call(api, session, 'product_media.create', [sku, []])).error, { code: -32102, message: 'The image is not specified.' });

  await callOk(api, session, 'product_media.update', [sku, file, { disabled: 1 }]);
  assert.is((await callOk(api, session, 'product_media.info', [sku, file])).exclude, 1, 'disabled is exclude');
  await callOk(api, session, 'product_media.update', [sku, file, { disabled: 1, exclude: '0' }]);
  assert.is((await callOk(api, session, 'product_media.info', [sku, file])).exclude, 0, 'exclude wins over disabled, as in updateImage');

  const casts: [unknown, unknown, number, 0 | 1][] = [
    [2.9, 1.0, 2, 1],
    ['3.7', '0.0', 3, 0],
    [' 12', '1e0', 12, 1],
    ['1e1', true, 10, 1],
  ];
  for (const [position, exclude, expectedPosition, expectedExclude] of casts) {
    await callOk(api, session, 'product_media.update', [sku, file, { position, exclude }]);
    image = await callOk(api, session, 'product_media.info', [sku, file]);
    assert.equal([image.position, image.exclude], [expectedPosition, expectedExclude], JSON.stringify([position, exclude]));
  }
  const [second] = await callOk(api, session, 'product_media.create', [sku, imageData(jpeg, 'image/jpeg', { position: '4.5', exclude: 1.9 })]);
  image = await callOk(api, session, 'product_media.info', [sku, second]);
  assert.equal([image.position, image.exclude], [4, 1], 'create casts too');
  // update reads types only as a list (is_array): one string leaves the types as they are.
  await callOk(api, session, 'product_media.update', [sku, second, { types: 'image' }]);
  assert.equal((await callOk(api, session, 'product_media.info', [sku, second])).types, []);
  assert.equal((await callOk(api, session, 'product_media.info', [sku, file])).types, ['image']);
});

test('14: surplus arguments are ignored; an empty login is fault 6; reads of a product without media are 107', async ({ api, session, sku, jpeg }) => {
  const [file] = await callOk(api, session, 'product_media.create', [sku, imageData(jpeg), null, 'sku', 'surplus', 42]);
  assert.equal((await callOk(api, session, 'product_media.list', [sku, null, 'sku', 'extra', { more: true }])).map((image: { file: string }) => image.file), [file]);
  assert.is((await postRpc(api, { jsonrpc: 2.0, id: 1, method: 'call', params: [session, 'product_media.list', [sku], 'surplus'] })).body.error, null);
  const short = await postRpc(api, { jsonrpc: 2.0, id: 2, method: 'product_media.info', params: [session, sku, file, null, null, 'surplus'] });
  assert.is(short.body.result.file, file);
  const surplusLogin = await postRpc(api, { jsonrpc: 2.0, id: 3, method: 'login', params: ['erp', 'erp-key-0123456789abcdef', 'surplus'] });
  assert.match(surplusLogin.body.result, /^[0-9a-f]{32}$/);

  const missing = { code: -32006, message: 'Required parameter is missing, for more details see "exception.log".' };
  for (const params of [['', 'erp-key-0123456789abcdef'], ['erp', ''], ['0', 'x'], ['erp', 0]]) {
    const answer = await postRpc(api, { jsonrpc: 2.0, id: 4, method: 'login', params });
    assert.equal(answer.body.error, missing, JSON.stringify(params));
  }
  const noMedia = { code: -32107, message: "Requested product doesn't support images" };
  assert.equal((await call(api, session, 'product_media.list', ['SEM-NO-MEDIA'])).error, noMedia);
  assert.equal((await call(api, session, 'product_media.info', ['SEM-NO-MEDIA', '/i/m/image.jpg'])).error, noMedia);
  assert.equal((await call(api, session, 'product_media.list', ['SEM-NO-SUCH'])).error.code, -32101, 'an unknown product is still 101');
  const long = await call(api, session, 'product_media.create', [sku, imageData(jpeg, 'image/jpeg', { label: 'x'.repeat(256) })]);
  assert.equal(long.error, { code: -32102, message: 'label: Ensure this field has no more than 255 characters.' });
  const longest = await callOk(api, session, 'product_media.create', [sku, imageData(jpeg, 'image/jpeg', { label: 'x'.repeat(255) })]);
  assert.is((await callOk(api, session, 'product_media.info', [sku, longest[0]])).label.length, 255);
});

test('15: multiCall answers in order with faults in place; break stops at the first fault', async ({ api, session, sku, jpeg }) => {
  const [file] = await callOk(api, session, 'product_media.create', [sku, imageData(jpeg)]);
  const results = await postRpc(api, {
    jsonrpc: 2.0,
    id: 1,
    method: 'multiCall',
    params: [
      session,
      [
        ['product_media.list', [sku]],
        ['product_media.info', ['SEM-NO-SUCH', file]],
        ['catalog_product.list', []],
        ['product_attribute_media.info', [sku, file]],
        ['product_media.types', [4]],
        [],
        ['product_media.update', [sku, file, { label: 'via multiCall' }]],
      ],
    ],
  });
  const [list, unknown, badPath, info, types, empty, updated] = results.body.result;
  assert.equal(list.map((image: { file: string }) => image.file), [file]);
  assert.equal(unknown, { isFault: true, faultCode: 101, faultMessage: 'Product not exists.' });
  assert.equal(badPath, { isFault: true, faultCode: 3, faultMessage: 'Invalid api path.' });
  assert.is(info.file, file);
  assert.is(types.length, 2);
  assert.equal(empty, { isFault: true, faultCode: 3, faultMessage: 'Invalid api path.' });
  assert.is(updated, 1);
  assert.is((await callOk(api, session, 'product_media.info', [sku, file])).label, 'via multiCall');

  const stopped = await postRpc(api, {
    jsonrpc: 2.0,
    id: 2,
    method: 'multiCall',
    params: [session, [['product_media.list', [sku]], ['product_media.list', ['SEM-NO-SUCH']], ['product_media.list', [sku]]], { break: 1 }],
  });
  assert.is(stopped.body.result.length, 2);
  assert.is(stopped.body.result[1].faultCode, 101);
  assert.equal((await postRpc(api, { jsonrpc: 2.0, id: 3, method: 'multiCall', params: ['f'.repeat(32), [['product_media.list', [sku]]]] })).body.error.code, -32005);
  const basic = { authorization: `Basic ${Buffer.from('erp:erp-key-0123456789abcdef').toString('base64')}` };
  const withBasic = await postRpc(api, { jsonrpc: 2.0, id: 4, method: 'multiCall', params: [null, [['product_media.list', [sku]]]] }, { headers: basic });
  assert.is(withBasic.body.result[0].length, 1);
  const tooMany = await postRpc(api, { jsonrpc: 2.0, id: 5, method: 'multiCall', params: [session, Array.from({ length: 101 }, () => ['product_media.types', [4]])] });
  assert.is(tooMany.body.error.code, -32602);
});

test('15: resources, globalFaults, resourceFaults, the product_attribute_media alias and currentStore', async ({ api, session, sku }) => {
  const [resource, ...others] = (await postRpc(api, { jsonrpc: 2.0, id: 1, method: 'resources', params: [session] })).body.result;
  assert.is(others.length, 0);
  assert.equal([resource.name, resource.title, resource.aliases], ['catalog_product_attribute_media', 'Product Images API', ['product_attribute_media', 'product_media']]);
  assert.equal(resource.methods.map((method: { name: string }) => method.name), ['currentStore', 'list', 'info', 'types', 'create', 'update', 'remove']);
  assert.equal(resource.methods[1], {
    title: 'Retrieve product image list',
    description: null,
    path: 'catalog_product_attribute_media.list',
    name: 'list',
    aliases: ['product_attribute_media.list', 'product_media.list'],
  });
  assert.is((await postRpc(api, { jsonrpc: 2.0, id: 2, method: 'resources', params: [null] })).body.error.code, -32005);

  const global = (await postRpc(api, { jsonrpc: 2.0, id: 3, method: 'globalFaults', params: [] })).body.result;
  assert.equal(global.slice(0, 7), [
    { code: 0, message: 'Unknown Error' },
    { code: 1, message: 'Internal Error. Please see log for details.' },
    { code: 2, message: 'Access denied.' },
    { code: 3, message: 'Invalid api path.' },
    { code: 4, message: 'Resource path is not callable.' },
    { code: 5, message: 'Session expired. Try to relogin.' },
    { code: 6, message: 'Required parameter is missing, for more details see "exception.log".' },
  ]);
  for (const name of ['catalog_product_attribute_media', 'product_media', 'product_attribute_media']) {
    const faults = (await postRpc(api, { jsonrpc: 2.0, id: 4, method: 'resourceFaults', params: [session, name] })).body.result;
    assert.equal(faults.map((fault: { code: number }) => fault.code), [100, 101, 102, 103, 104, 105, 106, 107], name);
    assert.equal(faults[7], { code: 107, message: "Requested product doesn't support images" });
  }
  assert.is((await postRpc(api, { jsonrpc: 2.0, id: 5, method: 'resourceFaults', params: [session, 'catalog_product'] })).body.error.code, -32003);

  assert.equal(await callOk(api, session, 'product_attribute_media.list', [sku]), []);
  assert.is(await callOk(api, session, 'product_media.currentStore', []), 0);
  assert.is(await callOk(api, session, 'product_media.currentStore', ['default']), 1);
  assert.is(await callOk(api, session, 'catalog_product_attribute_media.currentStore', ['admin']), 0);
  assert.is((await call(api, session, 'product_media.currentStore', ['french'])).error.code, -32100);
});

test('17: a request without jsonrpc, or with "1.0", is JSON-RPC 1.0 and answered without the member', async ({ api, session, sku }) => {
  const without = await postRpc(api, { id: 1, method: 'call', params: [session, 'product_media.list', [sku]] });
  assert.is(without.text, '{"id":1,"error":null,"result":[]}');
  const v1 = await postRpc(api, { jsonrpc: '1.0', id: 'a', method: 'call', params: [session, 'product_media.list', ['SEM-NO-SUCH']] });
  assert.is(v1.text, '{"id":"a","error":{"code":-32101,"message":"Product not exists."},"result":null}');
  const batch = await postRpc(api, [
    { id: 1, method: 'call', params: [session, 'product_media.types', [4]] },
    { jsonrpc: '2.0', id: 2, method: 'call', params: [session, 'product_media.types', [4]] },
  ]);
  assert.equal(batch.body.map((answer: { jsonrpc?: string }) => answer.jsonrpc), [undefined, '2.0']);
  assert.is((await postRpc(api, { jsonrpc: '3.0', id: 1, method: 'login', params: [] })).body.error.code, -32600);
});

test.run();
